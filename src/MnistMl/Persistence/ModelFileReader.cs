using System.Collections;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text.Json;
using MnistMl.Nn;

namespace MnistMl.Persistence;

/// <summary>
/// Reads a model file, checking it whole before building anything: manifest (bounded, format and
/// version first), architecture (layer configs, shapes implied without allocating), weights table,
/// training recipe, schema and preprocessing; only then the weights (bounded to exactly what the
/// table needs) and their checksums; only then the model is built and its weights copied in.
/// </summary>
internal static class ModelFileReader
{
    private const string Manifest = ModelFile.ManifestEntryName;
    private const string Weights = ModelFile.WeightsEntryName;

    /// <summary>The number types an input column may have, named as ML.NET names them.</summary>
    private static readonly string[] NumberTypes = ["SByte", "Byte", "Int16", "UInt16", "Int32", "UInt32", "Int64", "UInt64", "Single", "Double"];

    /// <exception cref="ModelFormatException">Anything is wrong with the file.</exception>
    public static LoadedModel Read(Stream source, string file, long maxWeights = ModelFile.MaxWeightCount)
    {
        using var zip = OpenZip(source, file);
        var manifestEntry = FindEntry(zip, Manifest, file);
        var weightsEntry = FindEntry(zip, Weights, file);
        var manifest = ReadManifest(manifestEntry, file);

        var architecture = manifest.Architecture;
        var layers = architecture.Layers.Select(l => LayerFactory.Create(l, file)).ToArray();
        var expected = ExpectedWeights(architecture, layers, maxWeights, file);
        var weightsLength = CheckWeightsTable(manifest, expected, file);
        var compilation = ReadTraining(manifest.Training, file);
        CheckInputSchema(manifest.InputSchema, file);
        var scalings = PreprocessingSteps.FromSteps(manifest.Preprocessing, file);

        var weights = ReadWeights(weightsEntry, weightsLength, file);
        CheckChecksums(manifest, weights, file);
        CheckFinite(manifest, weights, file);
        var trainingState = ReadTrainingState(zip, file);
        var model = Build(architecture, layers, expected, weights, file);
        if (compilation is { } c)
        {
            model.Compile(c.Optimizer, c.Loss, c.Metrics);
        }

        CheckTrainingStateFits(model, trainingState, file);

        return new LoadedModel(model, scalings, manifest, trainingState);
    }

    /// <summary>The archive, its seal checked before any of its structure is parsed.</summary>
    private static ZipArchive OpenZip(Stream source, string file)
    {
        ModelFormatException TooLarge() => new(file, $"larger than the {ModelFile.MaxFileBytes:N0} bytes a model file can be.");

        // ZipArchive copies a non-seekable stream into memory without limit: copy it here, bounded.
        var seekable = source.CanSeek ? source : CopyBounded(source, ModelFile.MaxFileBytes, TooLarge);
        if (seekable.Length > ModelFile.MaxFileBytes)
        {
            throw TooLarge();
        }

        var sealedArchive = ArchiveSeal.Verify(seekable, file);
        seekable.Position = 0;
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(seekable, ZipArchiveMode.Read, leaveOpen: seekable == source);
            _ = zip.Entries;
        }
        catch (InvalidDataException ex)
        {
            throw new ModelFormatException(file, $"not a zip archive, so not a MnistMl model file ({ex.Message}).", ex);
        }

        if (!sealedArchive)
        {
            zip.Dispose();
            throw new ModelFormatException(
                file,
                $"has no integrity seal (the zip comment '{ArchiveSeal.CommentPrefix}' and the SHA-256 of every byte before it), so its bytes cannot be checked. "
                + "Files saved by MnistMl before it sealed its model files (early December 2026) have none: train the model again with this version. Otherwise it was changed after it was saved, or written by something else.");
        }

        return zip;
    }

    private static MemoryStream CopyBounded(Stream source, long limit, Func<ModelFormatException> tooLarge)
    {
        var copy = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = source.Read(chunk)) > 0)
        {
            copy.Write(chunk, 0, read);
            if (copy.Length > limit)
            {
                throw tooLarge();
            }
        }

        copy.Position = 0;
        return copy;
    }

    /// <summary>A training state is the file's own: it must fit the optimizer and layers the same file declares.</summary>
    private static void CheckTrainingStateFits(Sequential model, Training.TrainingState? state, string file)
    {
        if (state is null)
        {
            return;
        }

        if (model.Optimizer is null)
        {
            throw new ModelFormatException(file, $"holds a training state ('{TrainingStateFile.JsonEntryName}') but no optimizer in its training recipe to resume it with.");
        }

        try
        {
            model.CheckTrainingState(state);
        }
        catch (ArgumentException ex)
        {
            throw new ModelFormatException(file, $"holds a training state that does not fit its own model: {ex.Message.Split(" (Parameter", 2)[0]}", ex);
        }
    }

    /// <summary>The state of an unfinished run, when the file holds one: both its entries, or neither.</summary>
    private static Training.TrainingState? ReadTrainingState(ZipArchive zip, string file)
    {
        var json = FindEntry(zip, TrainingStateFile.JsonEntryName, file, optional: true);
        var arrays = FindEntry(zip, TrainingStateFile.ArraysEntryName, file, optional: true);
        if (json is null || arrays is null)
        {
            return json is null && arrays is null
                ? null
                : throw new ModelFormatException(file, $"holds one of '{TrainingStateFile.JsonEntryName}' and '{TrainingStateFile.ArraysEntryName}' without the other.");
        }

        var document = TrainingStateFile.Parse(ReadJsonText(json, "a training state", file), file);
        var length = TrainingStateFile.ArraysLength(document);
        if (length > ModelFile.MaxTrainingStateBytes)
        {
            throw new ModelFormatException(file, $"entry '{json.FullName}' lists {length:N0} bytes of arrays, more than a training state may hold.");
        }

        return TrainingStateFile.Read(document, ReadStored(arrays, length, $"'{json.FullName}'", file), file);
    }

    private static ZipArchiveEntry FindEntry(ZipArchive zip, string name, string file) => FindEntry(zip, name, file, optional: false)!;

    private static ZipArchiveEntry? FindEntry(ZipArchive zip, string name, string file, bool optional)
    {
        var entries = zip.Entries.Where(e => e.FullName == name).ToList();
        return entries.Count switch
        {
            1 => entries[0],
            0 when optional => null,
            0 => throw new ModelFormatException(file, $"entry '{name}' is missing; a model file holds '{Manifest}' and '{Weights}'."),
            _ => throw new ModelFormatException(file, $"holds {entries.Count} entries named '{name}'; a model file holds one."),
        };
    }

    /// <summary>
    /// A JSON entry's bytes: no more than the manifest cap whatever the zip declares, and valid
    /// UTF-8 throughout (System.Text.Json checks the text inside strings only when it decodes them,
    /// and then throws an InvalidOperationException, not a JsonException).
    /// </summary>
    private static byte[] ReadJsonText(ZipArchiveEntry entry, string what, string file)
    {
        if (entry.Length > ModelFile.MaxManifestBytes)
        {
            throw new ModelFormatException(file, $"entry '{entry.FullName}' declares {entry.Length:N0} bytes, more than the {ModelFile.MaxManifestBytes:N0} {what} may have.");
        }

        var bytes = ReadEntry(entry, file, stream => ReadJsonBytes(stream, entry.FullName, what, file));
        return System.Text.Unicode.Utf8.IsValid(bytes)
            ? bytes
            : throw new ModelFormatException(file, $"entry '{entry.FullName}' is not valid UTF-8 text.");
    }

    private static ModelManifest ReadManifest(ZipArchiveEntry entry, string file)
    {
        var bytes = ReadJsonText(entry, "a manifest", file);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException ex)
        {
            throw new ModelFormatException(file, $"entry '{Manifest}' is not valid JSON ({ex.Message}).", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ModelFormatException(file, $"entry '{Manifest}' is not a JSON object, so not a MnistMl model manifest.");
            }

            CheckFormat(root, file);
            ModelManifest manifest;
            try
            {
                manifest = root.Deserialize(ModelManifestJson.Default.ModelManifest)!;
            }
            catch (JsonException ex)
            {
                throw new ModelFormatException(file, $"entry '{Manifest}' does not describe a model: {ex.Message}", ex);
            }

            CheckNoNullItems(manifest, file);
            return manifest;
        }
    }

    /// <summary>The JSON contract rejects null properties but not null list items: those are checked here.</summary>
    private static void CheckNoNullItems(ModelManifest manifest, string file)
    {
        (string Path, IEnumerable? Items)[] lists =
        [
            ("$.inputSchema", manifest.InputSchema),
            ("$.preprocessing", manifest.Preprocessing),
            ("$.architecture.layers", manifest.Architecture.Layers),
            ("$.training.metrics", manifest.Training?.Metrics),
            ("$.weights", manifest.Weights),
        ];
        foreach (var (path, items) in lists)
        {
            if (items?.Cast<object?>().Any(item => item is null) == true)
            {
                throw new ModelFormatException(file, $"entry '{Manifest}' does not describe a model: {path} holds a null.");
            }
        }
    }

    /// <summary>Format name and version come first: a newer version may change everything else.</summary>
    private static void CheckFormat(JsonElement root, string file)
    {
        if (!root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String)
        {
            throw new ModelFormatException(file, $"entry '{Manifest}' has no \"format\" name, so it is not a MnistMl model manifest.");
        }

        if (format.GetString() != ModelFile.FormatName)
        {
            throw new ModelFormatException(file, $"entry '{Manifest}' is of format '{format.GetString()}', not '{ModelFile.FormatName}': not a MnistMl model file.");
        }

        if (!root.TryGetProperty("formatVersion", out var version) || version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var v))
        {
            throw new ModelFormatException(file, $"entry '{Manifest}' has no whole-number \"formatVersion\".");
        }

        if (v > ModelFile.FormatVersion)
        {
            throw new ModelFormatException(
                file, $"written by a newer MnistMl (format version {v}; this build reads up to {ModelFile.FormatVersion}). Update MnistMl to load it.");
        }

        if (v < 1)
        {
            throw new ModelFormatException(file, $"format version {v} is unknown; versions start at 1.");
        }
    }

    /// <summary>The weights the architecture implies, layer by layer, computed from shapes alone and capped before anything is allocated.</summary>
    private static List<(string Name, int[] Shape)> ExpectedWeights(ModelManifest.ArchitectureConfig architecture, Layer[] layers, long maxWeights, string file)
    {
        if (string.IsNullOrWhiteSpace(architecture.Name))
        {
            throw new ModelFormatException(file, "the architecture has an empty model name.");
        }

        if (layers.Length == 0 || layers[0] is not InputLayer input)
        {
            throw new ModelFormatException(file, "the architecture does not start with an InputLayer.");
        }

        var duplicate = layers.GroupBy(l => l.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ModelFormatException(file, $"the architecture has {duplicate.Count()} layers named '{duplicate.Key}'; layer names must be unique.");
        }

        var weights = new List<(string, int[])>();
        var shape = input.Shape.ToArray();
        long total = 0;
        foreach (var layer in layers.Skip(1))
        {
            if (layer is InputLayer)
            {
                throw new ModelFormatException(file, $"layer '{layer.Name}' is a second InputLayer; only the first layer may be one.");
            }

            try
            {
                foreach (var (name, weightShape) in layer.ComputeWeightShapes(shape))
                {
                    var count = Shapes.SaturatingProduct(weightShape);
                    total = count > maxWeights ? long.MaxValue : total + count;
                    if (total > maxWeights)
                    {
                        throw new ModelFormatException(
                            file,
                            $"layer '{layer.Name}' ({layer.TypeName}) needs a '{name}' of shape {Shapes.Format(weightShape)}, which takes the model past the {maxWeights:N0} weights {(maxWeights == ModelFile.MaxWeightCount ? "a model file may hold" : "this load allows")}.");
                    }

                    weights.Add(($"{layer.Name}/{name}", weightShape));
                }

                shape = layer.ComputeOutputShape(shape);
                _ = Shapes.Product(shape);
            }
            catch (ArgumentException ex)
            {
                throw new ModelFormatException(file, $"the architecture does not fit together at layer '{layer.Name}' ({layer.TypeName}): {ex.Message}", ex);
            }
        }

        return weights;
    }

    /// <summary>Checks the table against the architecture, entry by entry; returns the length <c>weights.bin</c> must have.</summary>
    private static long CheckWeightsTable(ModelManifest manifest, List<(string Name, int[] Shape)> expected, string file)
    {
        var table = manifest.Weights;
        if (table.Count != expected.Count)
        {
            throw new ModelFormatException(file, $"the weights table lists {table.Count} tensors but the architecture has {expected.Count}.");
        }

        long offset = 0;
        for (var i = 0; i < table.Count; i++)
        {
            var (entry, (name, shape)) = (table[i], expected[i]);
            if (entry.Name != name)
            {
                throw new ModelFormatException(file, $"weights table entry {i} is '{entry.Name}' where the architecture has '{name}'.");
            }

            if (entry.Dtype != "float32")
            {
                throw new ModelFormatException(file, $"weight '{name}' has dtype '{entry.Dtype}'; model files hold float32 weights.");
            }

            if (!entry.Shape.SequenceEqual(shape))
            {
                throw new ModelFormatException(
                    file, $"weight '{name}' has shape {Shapes.Format([.. entry.Shape])} in the weights table but the architecture needs {Shapes.Format(shape)}.");
            }

            var length = 4L * Shapes.Product(shape);
            if (entry.ByteLength != length)
            {
                throw new ModelFormatException(file, $"weight '{name}' declares {entry.ByteLength:N0} bytes but its shape {Shapes.Format(shape)} takes {length:N0}.");
            }

            if (entry.ByteOffset != offset)
            {
                throw new ModelFormatException(file, $"weight '{name}' starts at byte {entry.ByteOffset:N0} but must follow the previous tensor, at byte {offset:N0}.");
            }

            CheckSha256(entry.Sha256, $"weight '{name}'", file);
            offset += length;
        }

        CheckSha256(manifest.WeightsSha256, "weightsSha256", file);
        return offset;
    }

    private static void CheckSha256(string hash, string owner, string file)
    {
        if (hash.Length != 64 || !hash.All(char.IsAsciiHexDigit))
        {
            throw new ModelFormatException(file, $"{owner} has checksum '{hash}', which is not a SHA-256 in hex (64 digits).");
        }
    }

    private static (Optimizer Optimizer, Loss Loss, Metric[] Metrics)? ReadTraining(ModelManifest.TrainingConfig? training, string file)
    {
        if (training is null)
        {
            return null;
        }

        if (training.BatchSize is < 1 || training.Epochs is < 0 || training.ValidationSplit is double split && !(split >= 0 && split < 1))
        {
            throw new ModelFormatException(
                file,
                $"the training recipe has batch size {training.BatchSize}, epochs {training.Epochs}, validation split {training.ValidationSplit}; they must be at least 1, at least 0 and in [0, 1).");
        }

        var metrics = (training.Metrics ?? []).Select(name => Known(() => Metric.FromName(name))).ToArray();
        if ((training.Optimizer is null) != (training.Loss is null))
        {
            throw new ModelFormatException(file, "the training recipe names an optimizer without a loss or a loss without an optimizer; a compiled model has both.");
        }

        return training.Optimizer is { } optimizer
            ? (OptimizerFactory.Create(optimizer, file), Known(() => Losses.FromName(training.Loss!)), metrics)
            : null;

        T Known<T>(Func<T> lookUp)
        {
            try
            {
                return lookUp();
            }
            catch (ArgumentException ex)
            {
                var reason = ex.ParamName is null ? ex.Message : ex.Message.Replace($" (Parameter '{ex.ParamName}')", "", StringComparison.Ordinal);
                throw new ModelFormatException(file, $"the training recipe: {reason}", ex);
            }
        }
    }

    private static void CheckInputSchema(IReadOnlyList<ModelManifest.ColumnEntry> columns, string file)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var column in columns)
        {
            if (string.IsNullOrWhiteSpace(column.Name))
            {
                throw new ModelFormatException(file, "the input schema has a column without a name.");
            }

            if (!names.Add(column.Name))
            {
                throw new ModelFormatException(file, $"the input schema names column '{column.Name}' twice.");
            }

            if (!NumberTypes.Contains(column.Type, StringComparer.Ordinal))
            {
                throw new ModelFormatException(
                    file, $"input column '{column.Name}' has unknown type '{column.Type}'; the known types are {string.Join(", ", NumberTypes)}.");
            }

            if (column.Dimensions is { } dimensions && (dimensions.Any(d => d < 1) || (dimensions.Count > 0 && Shapes.SaturatingProduct([.. dimensions]) > int.MaxValue)))
            {
                throw new ModelFormatException(
                    file, $"input column '{column.Name}' has dimensions [{string.Join(", ", dimensions)}]; each must be at least 1 and their product at most {int.MaxValue:N0}.");
            }
        }
    }

    private static byte[] ReadWeights(ZipArchiveEntry entry, long length, string file) => ReadStored(entry, length, "the weights table", file);

    /// <summary>
    /// Reads exactly <paramref name="length"/> bytes of an entry the format stores uncompressed,
    /// whatever the entry declares: a shorter or longer entry is an error, and no more is read.
    /// </summary>
    private static byte[] ReadStored(ZipArchiveEntry entry, long length, string needer, string file)
    {
        var name = entry.FullName;
        if (entry.Length != length)
        {
            throw new ModelFormatException(file, $"entry '{name}' holds {entry.Length:N0} bytes but {needer} needs {length:N0}.");
        }

        // Stored uncompressed, a file is as large as what it declares: a few deflated kilobytes
        // cannot stand for gigabytes.
        if (entry.CompressedLength != entry.Length)
        {
            throw new ModelFormatException(file, $"entry '{name}' takes {entry.CompressedLength:N0} bytes in the archive for the {entry.Length:N0} it declares; the format stores it uncompressed, so the two must be equal.");
        }

        return ReadEntry(entry, file, stream => ReadExactBytes(stream, length, name, file));
    }

    /// <summary>
    /// The manifest's bytes, reading no further than the cap plus one byte whatever the stream
    /// holds. (ZipArchive itself stops at an entry's declared size; this holds even if it did not.)
    /// </summary>
    internal static byte[] ReadManifestBytes(Stream stream, string file) => ReadJsonBytes(stream, Manifest, "a manifest", file);

    private static byte[] ReadJsonBytes(Stream stream, string name, string what, string file) => CopyBounded(
        stream,
        ModelFile.MaxManifestBytes,
        () => new ModelFormatException(file, $"entry '{name}' decompresses to more than the {ModelFile.MaxManifestBytes:N0} bytes {what} may have.")).ToArray();

    /// <summary>Exactly <paramref name="length"/> bytes of weights, then one more read to prove the stream ends there.</summary>
    internal static byte[] ReadWeightsBytes(Stream stream, long length, string file) => ReadExactBytes(stream, length, Weights, file);

    private static byte[] ReadExactBytes(Stream stream, long length, string name, string file)
    {
        var bytes = new byte[length];
        var read = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
        if (read < bytes.Length)
        {
            throw new ModelFormatException(file, $"entry '{name}' ends after {read:N0} of its {length:N0} bytes.");
        }

        if (stream.ReadByte() >= 0)
        {
            throw new ModelFormatException(file, $"entry '{name}' decompresses to more than the {length:N0} bytes it declares.");
        }

        return bytes;
    }

    private static T ReadEntry<T>(ZipArchiveEntry entry, string file, Func<Stream, T> read)
    {
        try
        {
            using var stream = entry.Open();
            return read(stream);
        }
        catch (Exception ex) when (ex is InvalidDataException or NotSupportedException)
        {
            throw new ModelFormatException(file, $"entry '{entry.FullName}' cannot be read: {ex.Message}", ex);
        }
    }

    private static void CheckChecksums(ModelManifest manifest, byte[] weights, string file)
    {
        var damaged = manifest.Weights
            .Where(w => !string.Equals(ModelFileWriter.Sha256(weights.AsSpan((int)w.ByteOffset, (int)w.ByteLength)), w.Sha256, StringComparison.OrdinalIgnoreCase))
            .Select(w => $"'{w.Name}'")
            .ToList();
        if (damaged.Count > 0)
        {
            throw new ModelFormatException(file, $"entry '{Weights}' fails its SHA-256 checksums: weight {string.Join(", ", damaged)} differs from what was saved. The file is damaged.");
        }

        if (!string.Equals(ModelFileWriter.Sha256(weights), manifest.WeightsSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new ModelFormatException(file, $"entry '{Weights}' fails its SHA-256 checksum (weightsSha256). The file is damaged.");
        }
    }

    /// <summary>A NaN or infinite weight makes every prediction NaN: refused, even under a matching checksum.</summary>
    private static void CheckFinite(ModelManifest manifest, byte[] weights, string file)
    {
        foreach (var w in manifest.Weights)
        {
            var values = MemoryMarshal.Cast<byte, float>(weights.AsSpan((int)w.ByteOffset, (int)w.ByteLength));
            for (var i = 0; i < values.Length; i++)
            {
                if (!float.IsFinite(values[i]))
                {
                    throw new ModelFormatException(file, $"weight '{w.Name}' holds {values[i]} at index {i}; weights must be finite numbers.");
                }
            }
        }
    }

    private static Sequential Build(ModelManifest.ArchitectureConfig architecture, Layer[] layers, List<(string Name, int[] Shape)> expected, byte[] weights, string file)
    {
        var model = new Sequential(layers) { Name = architecture.Name, Seed = architecture.Seed };
        IReadOnlyList<(string Name, int[] Shape, float[] Values)> table;
        try
        {
            table = model.WeightTable();
        }
        catch (InvalidOperationException ex)
        {
            throw new ModelFormatException(file, $"the architecture cannot be built: {ex.Message}", ex);
        }

        var offset = 0;
        for (var i = 0; i < table.Count; i++)
        {
            var (name, shape, values) = table[i];
            if (name != expected[i].Name || !shape.AsSpan().SequenceEqual(expected[i].Shape))
            {
                throw new InvalidOperationException($"Layer shape inference disagrees with the built model at weight '{name}'.");
            }

            LittleEndianFloats.Read(weights.AsSpan(offset, 4 * values.Length), values);
            offset += 4 * values.Length;
        }

        return model;
    }
}
