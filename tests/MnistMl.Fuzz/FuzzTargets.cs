using System.IO.Compression;
using System.Runtime.InteropServices;
using MnistMl.Data;
using MnistMl.Imaging;
using MnistMl.Persistence;

namespace MnistMl.Fuzz;

/// <summary>
/// The parsers of ours that read untrusted bytes, each as a fuzz target: given any bytes it must
/// return or throw the parser's documented <see cref="MnistMlException"/>; anything else (another
/// exception, a crash, a hang, an allocation past the heap limit) is a finding. The tests replay
/// every file of <c>corpus/</c> through these same targets.
/// </summary>
public static class FuzzTargets
{
    /// <summary>Every target by name, as <c>mnistml-fuzz TARGET</c> takes it.</summary>
    public static IReadOnlyDictionary<string, Action<byte[]>> All { get; } = new Dictionary<string, Action<byte[]>>(StringComparer.Ordinal)
    {
        ["idx"] = Idx,
        ["model"] = Model,
        ["model-sealed"] = ModelSealed,
        ["manifest"] = Manifest,
        ["training-state"] = TrainingState,
        ["image"] = Image,
        ["pnm"] = Pnm,
        ["png-check"] = PngCheck,
        ["pixels"] = Pixels,
    };

    /// <summary>An IDX file, raw or gzipped.</summary>
    public static void Idx(byte[] data) => Expect<DataFormatException>(() => IdxReader.Read(new MemoryStream(data), "fuzz.idx"));

    /// <summary>A whole model file, seal and all: nearly every change fails the seal, so this target guards the seal itself.</summary>
    public static void Model(byte[] data) => Expect<ModelFormatException>(() => ModelFile.Load(new MemoryStream(data), "fuzz.zip"));

    /// <summary>A model zip as a writer that means it would make it: sealed here first, so the fuzzer reaches the zip and manifest checks.</summary>
    public static void ModelSealed(byte[] data) => Model(Seal(data));

    /// <summary>A manifest, put into a sealed zip beside the seed model's weights.</summary>
    public static void Manifest(byte[] data) => Model(SealedModel(data, trainingState: null));

    /// <summary>A training state's JSON, put into a sealed zip beside the seed model and the seed state's arrays.</summary>
    public static void TrainingState(byte[] data) => Model(SealedModel(Seed("manifest", "seed.json"), (data, Seed("training-state.bin"))));

    private static byte[] SealedModel(byte[] manifest, (byte[] Json, byte[] Arrays)? trainingState)
    {
        using var archive = new MemoryStream();
        using (var zip = new ZipArchive(archive, ZipArchiveMode.Create, leaveOpen: true))
        {
            Put(zip, ModelFile.ManifestEntryName, manifest, CompressionLevel.Fastest);
            Put(zip, ModelFile.WeightsEntryName, Seed("weights.bin"), CompressionLevel.NoCompression);
            if (trainingState is var (json, arrays))
            {
                Put(zip, TrainingStateFile.JsonEntryName, json, CompressionLevel.Fastest);
                Put(zip, TrainingStateFile.ArraysEntryName, arrays, CompressionLevel.NoCompression);
            }
        }

        using var sealedFile = new MemoryStream();
        ArchiveSeal.WriteSealed(archive, sealedFile);
        return sealedFile.ToArray();
    }

    /// <summary>Any image file, through format detection and every decoder, then made MNIST-like as <c>predict</c> does.</summary>
    public static void Image(byte[] data) => Expect<ImageFormatException>(() => DigitImage.FromBytes(data));

    /// <summary>PGM/PBM, our own decoder.</summary>
    public static void Pnm(byte[] data) => Expect<ImageFormatException>(() => PnmDecoder.Decode(data, "fuzz.pgm"));

    /// <summary>Our PNG chunk and image-data check, which runs on PNGs SkiaSharp refused.</summary>
    public static void PngCheck(byte[] data) => PngDataCheck.WhyUndecodable(data);

    /// <summary>Float grey levels as <c>MnistModel.Predict</c> takes them (the bytes read as 784 floats, repeated or cut).</summary>
    public static void Pixels(byte[] data)
    {
        var floats = new float[DigitImage.Size * DigitImage.Size];
        var given = MemoryMarshal.Cast<byte, float>(data.AsSpan(0, data.Length / sizeof(float) * sizeof(float)));
        for (var i = 0; i < floats.Length && given.Length > 0; i++)
        {
            floats[i] = given[i % given.Length];
        }

        Expect<ArgumentException>(() => DigitImage.FromPixels(floats));
    }

    /// <summary>Runs <paramref name="parse"/>; the documented exception is a normal outcome.</summary>
    private static void Expect<TException>(Action parse)
        where TException : Exception
    {
        try
        {
            parse();
        }
        catch (TException)
        {
        }
    }

    /// <summary>Seals bytes that end as a comment-less zip does; anything else is left as it is.</summary>
    private static byte[] Seal(byte[] data)
    {
        if (!ArchiveSeal.CanSeal(data))
        {
            return data;
        }

        using var archive = new MemoryStream();
        archive.Write(data);
        using var sealedFile = new MemoryStream();
        ArchiveSeal.WriteSealed(archive, sealedFile);
        return sealedFile.ToArray();
    }

    private static void Put(ZipArchive zip, string name, byte[] content, CompressionLevel level)
    {
        using var stream = zip.CreateEntry(name, level).Open();
        stream.Write(content);
    }

    /// <summary>A file of the seed corpus (the seed model's weights and training-state arrays sit at its top).</summary>
    private static byte[] Seed(params string[] path) => SeedFiles.GetOrAdd(string.Join('/', path), key => File.ReadAllBytes(Path.Combine([AppContext.BaseDirectory, "corpus", .. key.Split('/')])));

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> SeedFiles = new(StringComparer.Ordinal);
}
