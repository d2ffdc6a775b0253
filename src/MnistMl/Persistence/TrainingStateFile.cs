using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using MnistMl.Training;

namespace MnistMl.Persistence;

/// <summary>
/// A <see cref="TrainingState"/> as two model-file entries: <c>training-state.json</c> (counters,
/// history, generator state, callback figures, and the length of every array) and
/// <c>training-state.bin</c> (those arrays as float32 little-endian, one after another: the
/// optimizer's, then each callback's), stored uncompressed so that the file's size bounds what a
/// reader allocates.
/// </summary>
internal static class TrainingStateFile
{
    public const string JsonEntryName = "training-state.json";
    public const string ArraysEntryName = "training-state.bin";

    /// <summary>Most callbacks and arrays a state may list: far above any run, far below harm.</summary>
    private const int MaxItems = 100_000;

    /// <exception cref="ArgumentException">The arrays are larger than a model file's training state may be.</exception>
    public static (byte[] Json, byte[] Arrays) Write(TrainingState state)
    {
        var arrays = state.OptimizerSlots.Concat(state.Callbacks.SelectMany(c => c?.Arrays ?? [])).ToList();
        var size = arrays.Sum(a => 4L * a.Length);
        if (size > ModelFile.MaxTrainingStateBytes)
        {
            throw new ArgumentException($"The training state holds {size:N0} bytes of optimizer and callback arrays; a model file carries at most {ModelFile.MaxTrainingStateBytes:N0}, so this run cannot be checkpointed for resuming.", nameof(state));
        }

        var document = new Document
        {
            CompletedEpochs = state.CompletedEpochs,
            Stopped = state.Stopped,
            BatchSize = state.BatchSize,
            ValidationSplit = state.ValidationSplit,
            Shuffle = state.Shuffle,
            History = [.. state.History],
            Optimizer = new() { Name = state.OptimizerName, Iterations = state.OptimizerIterations, LearningRate = state.LearningRate, Arrays = state.OptimizerSlots.Count },
            ShuffleState = [.. state.ShuffleState.Select(word => word.ToString("x16", CultureInfo.InvariantCulture))],
            DropoutSteps = [.. state.DropoutSteps],
            Augmentation = state.Augmentation is { } a
                ? new AugmentationEntry { RotationRange = a.RotationRange, WidthShiftRange = a.WidthShiftRange, HeightShiftRange = a.HeightShiftRange, ZoomRange = a.ZoomRange, ShearRange = a.ShearRange, ElasticAlpha = a.ElasticAlpha, ElasticSigma = a.ElasticSigma }
                : null,
            Callbacks = [.. state.Callbacks.Select(c => c is null ? null : new CallbackEntry { Type = c.Type, Values = new Dictionary<string, double>(c.Values), Arrays = c.Arrays.Count })],
            ArrayLengths = [.. arrays.Select(a => a.Length)],
        };
        var bytes = new byte[size];
        var offset = 0;
        foreach (var array in arrays)
        {
            var span = bytes.AsSpan(offset, 4 * array.Length);
            if (BitConverter.IsLittleEndian)
            {
                MemoryMarshal.AsBytes(array.AsSpan()).CopyTo(span);
            }
            else
            {
                for (var i = 0; i < array.Length; i++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(span[(4 * i)..], array[i]);
                }
            }

            offset += span.Length;
        }

        return (JsonSerializer.SerializeToUtf8Bytes(document, TrainingStateJson.Default.Document), bytes);
    }

    /// <summary>The description in <paramref name="json"/>, checked; <see cref="Read"/> then needs the arrays entry of <see cref="ArraysLength"/> bytes.</summary>
    /// <exception cref="ModelFormatException">The JSON is not a valid training state.</exception>
    public static Document Parse(byte[] json, string file)
    {
        Document document;
        try
        {
            document = JsonSerializer.Deserialize(json, TrainingStateJson.Default.Document) ?? throw new JsonException("null");
        }
        catch (JsonException ex)
        {
            throw Error(file, $"is not a valid training state ({ex.Message}).", ex);
        }

        // Nullable annotations cover properties, not array elements: a "history":[null] parses.
        if (document.History.Any(e => e is null))
        {
            throw Error(file, "holds a history entry that is null.");
        }

        var callbackArrays = document.Callbacks.Sum(c => (long)(c?.Arrays ?? 0));
        if (document.CompletedEpochs < 0 || document.History.Length != document.CompletedEpochs || document.History.Where((e, i) => e.Epoch != i).Any())
        {
            throw Error(file, $"says {document.CompletedEpochs} epochs were finished but holds {document.History.Length} in its history, numbered from 0.");
        }

        if (document.BatchSize < 1 || !(document.ValidationSplit is >= 0 and < 1) || document.Optimizer.Iterations < 0 || document.Optimizer.Arrays < 0
            || document.Callbacks.Any(c => c is not null && c.Arrays < 0))
        {
            throw Error(file, "holds a batch size, validation split, step count or array count out of range.");
        }

        if (document.ShuffleState.Length != 4 || document.ShuffleState.Any(w => !ulong.TryParse(w, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out _)))
        {
            throw Error(file, "holds a shuffling state that is not four 64-bit hex words.");
        }

        if (document.Callbacks.Length > MaxItems || document.ArrayLengths.Length > MaxItems || document.ArrayLengths.Any(n => n < 0)
            || document.Optimizer.Arrays + callbackArrays != document.ArrayLengths.Length)
        {
            throw Error(file, $"lists {document.ArrayLengths.Length:N0} arrays, but its optimizer and callbacks account for {document.Optimizer.Arrays + callbackArrays:N0}.");
        }

        return document;
    }

    /// <summary>Bytes the arrays entry must hold.</summary>
    public static long ArraysLength(Document document) => document.ArrayLengths.Sum(n => 4L * n);

    /// <summary>The state from its parsed description and the arrays entry's bytes (exactly <see cref="ArraysLength"/> long).</summary>
    /// <exception cref="ModelFormatException">A value is not finite where it must be.</exception>
    public static TrainingState Read(Document document, byte[] bytes, string file)
    {
        var arrays = new List<float[]>(document.ArrayLengths.Length);
        var offset = 0;
        foreach (var length in document.ArrayLengths)
        {
            var array = new float[length];
            LittleEndianFloats.Read(bytes.AsSpan(offset), array);

            if (!System.Numerics.Tensors.TensorPrimitives.IsFiniteAll<float>(array))
            {
                throw Error(file, $"holds a value that is not finite in array {arrays.Count}.");
            }

            arrays.Add(array);
            offset += 4 * length;
        }

        var next = document.Optimizer.Arrays;
        var callbacks = new List<CallbackState?>();
        foreach (var entry in document.Callbacks)
        {
            callbacks.Add(entry is null ? null : new CallbackState { Type = entry.Type, Values = entry.Values, Arrays = arrays[next..(next + entry.Arrays)] });
            next += entry?.Arrays ?? 0;
        }

        return new TrainingState
        {
            CompletedEpochs = document.CompletedEpochs,
            Stopped = document.Stopped,
            BatchSize = document.BatchSize,
            ValidationSplit = document.ValidationSplit,
            Shuffle = document.Shuffle,
            History = document.History,
            OptimizerName = document.Optimizer.Name,
            OptimizerIterations = document.Optimizer.Iterations,
            LearningRate = document.Optimizer.LearningRate,
            OptimizerSlots = arrays[..document.Optimizer.Arrays],
            ShuffleState = [.. document.ShuffleState.Select(w => ulong.Parse(w, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture))],
            DropoutSteps = document.DropoutSteps,
            Augmentation = Augmentation(document.Augmentation, file),
            Callbacks = callbacks,
        };
    }

    /// <summary>The run's augmentation, its ranges checked as the engine checks them.</summary>
    private static ImageAugmentation? Augmentation(AugmentationEntry? entry, string file)
    {
        if (entry is null)
        {
            return null;
        }

        var augmentation = new ImageAugmentation
        {
            RotationRange = entry.RotationRange,
            WidthShiftRange = entry.WidthShiftRange,
            HeightShiftRange = entry.HeightShiftRange,
            ZoomRange = entry.ZoomRange,
            ShearRange = entry.ShearRange,
            ElasticAlpha = entry.ElasticAlpha,
            ElasticSigma = entry.ElasticSigma,
        };
        try
        {
            augmentation.Validate();
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw Error(file, $"holds an augmentation out of range: {ex.Message.Split(" (Parameter", 2)[0]}", ex);
        }

        return augmentation;
    }

    private static ModelFormatException Error(string file, string reason, Exception? inner = null) =>
        new(file, $"entry '{JsonEntryName}' {reason}", inner);

    internal sealed class Document
    {
        public required int CompletedEpochs { get; init; }

        public required bool Stopped { get; init; }

        public required int BatchSize { get; init; }

        public required double ValidationSplit { get; init; }

        public required bool Shuffle { get; init; }

        public required EpochLogs[] History { get; init; }

        public required OptimizerEntry Optimizer { get; init; }

        public required string[] ShuffleState { get; init; }

        public required ulong[] DropoutSteps { get; init; }

        public required CallbackEntry?[] Callbacks { get; init; }

        public required int[] ArrayLengths { get; init; }

        public AugmentationEntry? Augmentation { get; init; }
    }

    internal sealed class AugmentationEntry
    {
        public required double RotationRange { get; init; }

        public required double WidthShiftRange { get; init; }

        public required double HeightShiftRange { get; init; }

        public required double ZoomRange { get; init; }

        public required double ShearRange { get; init; }

        public required double ElasticAlpha { get; init; }

        public required double ElasticSigma { get; init; }
    }

    internal sealed class OptimizerEntry
    {
        public required string Name { get; init; }

        public required long Iterations { get; init; }

        public required double LearningRate { get; init; }

        public required int Arrays { get; init; }
    }

    internal sealed class CallbackEntry
    {
        public required string Type { get; init; }

        public required Dictionary<string, double> Values { get; init; }

        public required int Arrays { get; init; }
    }
}
