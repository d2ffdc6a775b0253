using MnistMl.Nn;

namespace MnistMl.Persistence;

/// <summary>
/// Saves and loads a whole model as one <c>.zip</c> file: the network, its preprocessing, its input
/// schema, its training recipe and final metrics, and its weights.
/// <code>
/// ModelFile.Save("mnist.zip", model, new ModelFileContents { InputSchema = train.Schema, Preprocessing = prepared });
/// var loaded = ModelFile.Load("mnist.zip");
/// var scores = loaded.Model.Predict(x);
/// </code>
/// <para>The archive holds two entries (format version 1):</para>
/// <list type="bullet">
/// <item><description>
/// <c>manifest.json</c>, a <see cref="ModelManifest"/> in camelCase JSON (UTF-8, at most 16 MiB):
/// <c>format</c> ("mnistml-model"), <c>formatVersion</c>, <c>libraryVersion</c>, <c>createdUtc</c>,
/// <c>inputSchema</c>, <c>preprocessing</c>, <c>architecture</c> (name, seed and Keras-like layer
/// configs), <c>training</c>, <c>metrics</c>, the per-tensor table <c>weights</c> and <c>weightsSha256</c>.
/// </description></item>
/// <item><description>
/// <c>weights.bin</c>: every weight tensor, in table order (layer by layer; within a layer Keras's
/// order: kernel, bias; gamma, beta, moving_mean, moving_variance), concatenated with no header or
/// padding. A tensor is its values as IEEE 754 float32, little-endian, row-major (last axis
/// fastest; a Dense kernel is (inputs, units), a Conv2D kernel (height, width, inChannels,
/// filters)). Its table entry gives name, shape, dtype "float32", <c>byteOffset</c> (the sum of the
/// previous tensors' lengths), <c>byteLength</c> (4 × elements) and the SHA-256 of those bytes;
/// <c>weightsSha256</c> covers the whole entry.
/// </description></item>
/// </list>
/// <para>
/// The archive's comment seals it: <c>mnistml-sha256:</c> and the SHA-256 of every byte before the
/// comment, checked first on load, so no byte of a model file can change unnoticed.
/// </para>
/// <para>
/// Saving is atomic: the file is written under a temporary name beside the target and renamed over
/// it, so the target only ever holds a complete model. Loading checks everything before it builds
/// anything: the zip structure and its seal, both entries and their sizes (never trusting a declared size, and
/// stopping any entry that decompresses past its limit), the format name and version, every layer
/// config, the weights table against the shapes the architecture implies, and the checksums. Any
/// problem raises a <see cref="ModelFormatException"/> naming the file and the reason.
/// </para>
/// </summary>
public static class ModelFile
{
    /// <summary>The manifest's <c>format</c> value.</summary>
    public const string FormatName = "mnistml-model";

    /// <summary>The version of the layout this build writes, and the newest it reads (a property, not a constant, so callers see the version of the library they run with).</summary>
    public static int FormatVersion => 2;

    /// <summary>The name of the manifest entry in the archive.</summary>
    public const string ManifestEntryName = "manifest.json";

    /// <summary>The name of the weights entry in the archive.</summary>
    public const string WeightsEntryName = "weights.bin";

    /// <summary>Largest manifest read: far above any real one (a few KiB), far below harm.</summary>
    internal const long MaxManifestBytes = 16L << 20;

    /// <summary>Largest weights entry read (1 GiB, 268 million parameters): far above any MNIST model.</summary>
    internal const long MaxWeightsBytes = 1L << 30;

    /// <summary>Largest training-state arrays entry (512 MiB: Adam's two arrays per weight for models up to 67 million weights).</summary>
    internal const long MaxTrainingStateBytes = 1L << 29;

    /// <summary>
    /// The most weights a model file may declare, and the default limit of <see cref="Load(string, long)"/>:
    /// 268,435,456 float32 values (1 GiB). A reader checks the declared architecture against its limit
    /// before it allocates anything.
    /// </summary>
    public const long MaxWeightCount = MaxWeightsBytes / 4;

    /// <summary>
    /// The largest model file read (about 1.5 GiB: the largest manifest, weights and training state,
    /// with room for the zip's structure); a larger one is refused before it is read.
    /// </summary>
    public static long MaxFileBytes => (2 * MaxManifestBytes) + MaxWeightsBytes + MaxTrainingStateBytes + (1L << 20);

    /// <summary>Saves <paramref name="model"/> (built first if needed) and <paramref name="contents"/> to <paramref name="path"/>, atomically.</summary>
    /// <param name="path">The file to write; an existing file is replaced only once the new one is complete.</param>
    /// <param name="model">The network to save.</param>
    /// <param name="contents">The schema, preprocessing, training recipe and metrics to save with it.</param>
    /// <exception cref="ArgumentException"><paramref name="contents"/> holds a transformer a model file cannot hold, or a metric or recipe value that is not valid.</exception>
    /// <exception cref="InvalidOperationException">The model cannot be built.</exception>
    public static void Save(string path, Sequential model, ModelFileContents? contents = null) => Save(path, model, contents, static stream => stream);

    /// <summary>Writes <paramref name="model"/> and <paramref name="contents"/> as a model file to <paramref name="destination"/>, which stays open.</summary>
    /// <exception cref="ArgumentException"><paramref name="contents"/> holds a transformer a model file cannot hold, or a metric or recipe value that is not valid.</exception>
    /// <exception cref="InvalidOperationException">The model cannot be built.</exception>
    public static void Save(Stream destination, Sequential model, ModelFileContents? contents = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(model);
        ModelFileWriter.Prepare(model, contents).WriteTo(destination);
    }

    /// <summary>Loads a model file: the network with its weights (compiled when the file names an optimizer and loss), its preprocessing and its manifest.</summary>
    /// <exception cref="ModelFormatException">The file is not a model file, is damaged, is from a newer format version, or disagrees with itself.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="FileAccessException">The file cannot be read: permission, not a regular file, a symbolic-link loop.</exception>
    /// <param name="path">The model file.</param>
    /// <param name="maxWeights">Refuse a model that declares more weights than this (before anything is allocated); at most <see cref="MaxWeightCount"/>.</param>
    public static LoadedModel Load(string path, long maxWeights = MaxWeightCount)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        CheckLimit(maxWeights);
        using var stream = InputFile.OpenRead(path);
        return ModelFileReader.Read(stream, path, maxWeights);
    }

    /// <summary>Loads a model file from <paramref name="source"/>, which stays open; errors name <paramref name="displayName"/>.</summary>
    /// <exception cref="ModelFormatException">The stream does not hold a valid model file.</exception>
    /// <param name="source">The model file's bytes.</param>
    /// <param name="displayName">What errors call the file.</param>
    /// <param name="maxWeights">Refuse a model that declares more weights than this (before anything is allocated); at most <see cref="MaxWeightCount"/>.</param>
    public static LoadedModel Load(Stream source, string displayName, long maxWeights = MaxWeightCount)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrEmpty(displayName);
        CheckLimit(maxWeights);
        return ModelFileReader.Read(source, displayName, maxWeights);
    }

    private static void CheckLimit(long maxWeights)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWeights, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxWeights, MaxWeightCount);
    }

    /// <summary><see cref="Save(string, Sequential, ModelFileContents?)"/> with the temporary file's stream wrapped, so tests can make a save fail midway.</summary>
    internal static void Save(string path, Sequential model, ModelFileContents? contents, Func<Stream, Stream> wrapDestination)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(model);
        var file = ModelFileWriter.Prepare(model, contents);
        AtomicFile.Write(path, stream => file.WriteTo(wrapDestination(stream)));
    }
}
