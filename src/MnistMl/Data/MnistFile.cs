namespace MnistMl.Data;

/// <summary>
/// One of the four MNIST IDX files: its name, what it holds, and the SHA-256 and length of its
/// decompressed content. The digest is of the content, not of a .gz, because mirrors compress the
/// same content into different .gz bytes.
/// </summary>
internal sealed record MnistFile(string Name, MnistSplit Split, bool IsImages, string Sha256, long Length)
{
    public const string GzipExtension = ".gz";

    public static readonly MnistFile TrainImages = new(
        "train-images-idx3-ubyte", MnistSplit.Train, IsImages: true, "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db", 47_040_016);

    public static readonly MnistFile TrainLabels = new(
        "train-labels-idx1-ubyte", MnistSplit.Train, IsImages: false, "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5", 60_008);

    public static readonly MnistFile TestImages = new(
        "t10k-images-idx3-ubyte", MnistSplit.Test, IsImages: true, "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7", 7_840_016);

    public static readonly MnistFile TestLabels = new(
        "t10k-labels-idx1-ubyte", MnistSplit.Test, IsImages: false, "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2", 10_008);

    /// <summary>All four, training split first.</summary>
    public static IReadOnlyList<MnistFile> All { get; } = [TrainImages, TrainLabels, TestImages, TestLabels];

    public static MnistFile Images(MnistSplit split) => split switch
    {
        MnistSplit.Train => TrainImages,
        MnistSplit.Test => TestImages,
        _ => throw new ArgumentOutOfRangeException(nameof(split), split, "Not an MNIST split."),
    };

    public static MnistFile Labels(MnistSplit split) => split switch
    {
        MnistSplit.Train => TrainLabels,
        MnistSplit.Test => TestLabels,
        _ => throw new ArgumentOutOfRangeException(nameof(split), split, "Not an MNIST split."),
    };

    /// <summary>The file's path in <paramref name="folder"/>, uncompressed or with .gz (uncompressed first), or null.</summary>
    public string? FindIn(string folder)
    {
        var raw = Path.Combine(folder, Name);
        if (File.Exists(raw))
        {
            return raw;
        }

        var gzip = raw + GzipExtension;
        return File.Exists(gzip) ? gzip : null;
    }

    /// <summary>Names as listed in messages: <c>a, b and c</c>.</summary>
    public static string ListNames(IEnumerable<MnistFile> files)
    {
        var names = files.Select(f => f.Name).ToList();
        return names.Count <= 1 ? string.Concat(names) : $"{string.Join(", ", names[..^1])} and {names[^1]}";
    }
}
