using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using MnistMl.Data;
using MnistMl.Nn;
using MnistMl.Training;

namespace MnistMl.Persistence;

/// <summary>
/// A model file ready to write: the manifest and the weights' bytes, prepared (and every argument
/// checked) before a byte goes to the destination.
/// </summary>
internal sealed class ModelFileWriter
{
    private readonly byte[] _manifest;
    private readonly byte[] _weights;
    private readonly (byte[] Json, byte[] Arrays)? _trainingState;

    private ModelFileWriter(ModelManifest manifest, byte[] weights, TrainingState? trainingState)
    {
        Manifest = manifest;
        _manifest = JsonSerializer.SerializeToUtf8Bytes(manifest, ModelManifestJson.Writing.ModelManifest);
        _weights = weights;
        _trainingState = trainingState is null ? null : TrainingStateFile.Write(trainingState);
    }

    public ModelManifest Manifest { get; }

    /// <exception cref="ArgumentException"><paramref name="contents"/> holds something a model file cannot.</exception>
    /// <exception cref="InvalidOperationException">The model cannot be built.</exception>
    public static ModelFileWriter Prepare(Sequential model, ModelFileContents? contents)
    {
        var scalings = contents?.PixelScalings;
        var preprocessing = scalings is null ? [] : PreprocessingSteps.ToSteps(scalings, MnistColumnNames.Image);
        var inputSchema = scalings is null ? Array.Empty<ModelManifest.ColumnEntry>() : [GreyLevelColumn(model)];
        var metrics = CheckMetrics(contents?.Metrics);
        var training = TrainingRecipe(model, contents?.FitOptions);
        var layers = model.Layers;
        var table = model.WeightTable();
        var size = table.Sum(t => 4L * t.Values.Length);
        if (size > ModelFile.MaxWeightsBytes)
        {
            throw new ArgumentException(
                $"Model '{model.Name}' has {size / 4:N0} weights; a model file holds at most {ModelFile.MaxWeightsBytes / 4:N0}.", nameof(model));
        }

        var weights = new byte[size];
        var entries = new List<ModelManifest.WeightEntry>(table.Count);
        var offset = 0;
        foreach (var (name, shape, values) in table)
        {
            var bytes = weights.AsSpan(offset, 4 * values.Length);
            WriteLittleEndian(values, bytes);
            entries.Add(new()
            {
                Name = name,
                Shape = [.. shape],
                Dtype = "float32",
                ByteOffset = offset,
                ByteLength = bytes.Length,
                Sha256 = Sha256(bytes),
            });
            offset += bytes.Length;
        }

        var manifest = new ModelManifest
        {
            Format = ModelFile.FormatName,
            FormatVersion = ModelFile.FormatVersion,
            LibraryVersion = MnistMlVersion.Informational,
            CreatedUtc = DateTime.UtcNow,
            InputSchema = inputSchema,
            Preprocessing = preprocessing,
            Architecture = new()
            {
                Name = model.Name,
                Seed = model.Seed,
                Layers = [.. layers.Select(LayerConfigOf)],
            },
            Training = training,
            Metrics = metrics,
            Weights = entries,
            WeightsSha256 = Sha256(weights),
        };
        return new ModelFileWriter(manifest, weights, contents?.TrainingState);
    }

    /// <summary>
    /// Writes the archive: the manifest first (so <c>unzip -l</c> and readers see it first), then the
    /// weights, stored uncompressed, then the <see cref="ArchiveSeal"/> over all of it (which is why
    /// the archive is made in memory first: the seal hashes the finished bytes).
    /// </summary>
    public void WriteTo(Stream destination)
    {
        using var archive = new MemoryStream();
        using (var zip = new ZipArchive(archive, ZipArchiveMode.Create, leaveOpen: true))
        {
            Put(zip, ModelFile.ManifestEntryName, _manifest, CompressionLevel.Optimal);
            Put(zip, ModelFile.WeightsEntryName, _weights, CompressionLevel.NoCompression);
            if (_trainingState is var (json, arrays))
            {
                Put(zip, TrainingStateFile.JsonEntryName, json, CompressionLevel.Optimal);
                Put(zip, TrainingStateFile.ArraysEntryName, arrays, CompressionLevel.NoCompression);
            }
        }

        ArchiveSeal.WriteSealed(archive, destination);
    }

    internal static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private void Put(ZipArchive zip, string name, byte[] content, CompressionLevel level)
    {
        var entry = zip.CreateEntry(name, level);
        entry.LastWriteTime = new DateTimeOffset(Manifest.CreatedUtc);
        using var stream = entry.Open();
        stream.Write(content);
    }

    private static void WriteLittleEndian(float[] values, Span<byte> destination)
    {
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(values.AsSpan()).CopyTo(destination);
            return;
        }

        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(destination.Slice(4 * i, 4), values[i]);
        }
    }

    /// <summary>The grey levels a model with pixel scalings reads: an <c>Image</c> of bytes in the network's input shape, less a single channel.</summary>
    private static ModelManifest.ColumnEntry GreyLevelColumn(Sequential model)
    {
        var shape = model.InputShape;
        return new() { Name = MnistColumnNames.Image, Type = "Byte", Dimensions = shape.Count == 3 && shape[2] == 1 ? [shape[0], shape[1]] : [.. shape] };
    }

    private static Dictionary<string, double>? CheckMetrics(IReadOnlyDictionary<string, double>? metrics)
    {
        if (metrics is null)
        {
            return null;
        }

        foreach (var (name, value) in metrics)
        {
            if (string.IsNullOrWhiteSpace(name) || !double.IsFinite(value))
            {
                throw new ArgumentException($"Metric '{name}' = {value} cannot be saved: metrics need a name and a finite value.", nameof(metrics));
            }
        }

        return metrics.ToDictionary(StringComparer.Ordinal);
    }

    private static ModelManifest.TrainingConfig? TrainingRecipe(Sequential model, FitOptions? fit)
    {
        if (model.Optimizer is null && fit is null)
        {
            return null;
        }

        if (fit is not null && (fit.BatchSize < 1 || fit.Epochs < 0 || !(fit.ValidationSplit >= 0 && fit.ValidationSplit < 1)))
        {
            throw new ArgumentException(
                $"The fit options (batch size {fit.BatchSize}, epochs {fit.Epochs}, validation split {fit.ValidationSplit}) cannot be saved: they need a batch size of at least 1, epochs of at least 0 and a split in [0, 1).",
                nameof(fit));
        }

        return new()
        {
            Optimizer = model.Optimizer is { } optimizer ? new() { Name = optimizer.Name, Config = ModelManifestJson.ToJson(optimizer.GetConfig()) } : null,
            Loss = model.Loss?.Name,
            Metrics = model.Optimizer is null ? null : [.. model.Metrics.Select(m => m.Name)],
            BatchSize = fit?.BatchSize,
            Epochs = fit?.Epochs,
            ValidationSplit = fit?.ValidationSplit,
        };
    }

    /// <summary>A layer as the manifest keeps it; an ensemble's members as arrays of such layers under <c>members</c>.</summary>
    private static ModelManifest.LayerConfig LayerConfigOf(Layer layer) => new()
    {
        ClassName = layer.TypeName,
        Name = layer.Name!,
        Config = layer is Ensemble ensemble
            ? new Dictionary<string, JsonElement>(StringComparer.Ordinal)
            {
                ["members"] = JsonSerializer.SerializeToElement(
                    ensemble.Members.Select(member => member.Select(LayerConfigOf).ToArray()).ToArray(), ModelManifestJson.Writing.LayerConfigArrayArray),
            }
            : ModelManifestJson.ToJson(layer.GetConfig()),
    };
}
