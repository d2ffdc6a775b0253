using System.Text.Json;

namespace MnistMl.Persistence;

/// <summary>
/// The <c>manifest.json</c> of a model file (see <see cref="ModelFile"/>): what the model is, how
/// its inputs are prepared, how it was trained, how well it did, and where each weight tensor lies
/// in <c>weights.bin</c>. Written in camelCase JSON; layer and optimizer configs keep Keras's
/// argument names (<c>kernel_size</c>, <c>learning_rate</c>).
/// </summary>
public sealed class ModelManifest
{
    /// <summary>Always <see cref="ModelFile.FormatName"/>: tells a model manifest from any other JSON.</summary>
    public required string Format { get; init; }

    /// <summary>The layout version; a build reads versions up to <see cref="ModelFile.FormatVersion"/>.</summary>
    public required int FormatVersion { get; init; }

    /// <summary>The MnistMl version that wrote the file.</summary>
    public required string LibraryVersion { get; init; }

    /// <summary>When the file was written, in UTC.</summary>
    public required DateTime CreatedUtc { get; init; }

    /// <summary>The columns of the data the pipeline was fitted on; empty when saved without a schema.</summary>
    public required IReadOnlyList<ColumnEntry> InputSchema { get; init; }

    /// <summary>The preprocessing transformers, in the order they apply; empty when saved without them.</summary>
    public required IReadOnlyList<PreprocessingStep> Preprocessing { get; init; }

    /// <summary>The network: its name, seed and layers.</summary>
    public required ArchitectureConfig Architecture { get; init; }

    /// <summary>How the model was compiled and trained; null when it was never compiled and no recipe was given.</summary>
    public TrainingConfig? Training { get; init; }

    /// <summary>Final metrics by name (e.g. <c>testAccuracy</c>); null when none were given.</summary>
    public IReadOnlyDictionary<string, double>? Metrics { get; init; }

    /// <summary>The weight tensors, in <c>weights.bin</c> order.</summary>
    public required IReadOnlyList<WeightEntry> Weights { get; init; }

    /// <summary>SHA-256 of the whole <c>weights.bin</c> entry, lower-case hex.</summary>
    public required string WeightsSha256 { get; init; }

    /// <summary>One column of the input schema.</summary>
    public sealed class ColumnEntry
    {
        /// <summary>The column's name, e.g. <c>Image</c>.</summary>
        public required string Name { get; init; }

        /// <summary>The number type of the value or of each element: <c>Byte</c>, <c>Single</c>, ...</summary>
        public required string Type { get; init; }

        /// <summary>A vector's shape (empty for a vector whose size varies by row); null for a scalar.</summary>
        public IReadOnlyList<int>? Dimensions { get; init; }
    }

    /// <summary>One preprocessing transformer and the parameters that rebuild it.</summary>
    public sealed class PreprocessingStep
    {
        /// <summary>The kind: <c>PixelScaling</c>, <c>ImageReshaping</c> or <c>OneHotEncoding</c>.</summary>
        public required string Type { get; init; }

        /// <summary>
        /// The parameters by name: <c>inputColumn</c> and <c>outputColumn</c>, then <c>offset</c> and
        /// <c>divisor</c> (pixel scaling), <c>height</c>, <c>width</c> and <c>channels</c> (reshaping),
        /// or <c>classCount</c> (one-hot encoding).
        /// </summary>
        public required IReadOnlyDictionary<string, JsonElement> Parameters { get; init; }
    }

    /// <summary>The network, as Keras's <c>Sequential.get_config()</c> describes it.</summary>
    public sealed class ArchitectureConfig
    {
        /// <summary>The model's name.</summary>
        public required string Name { get; init; }

        /// <summary>The seed of the model's shuffles and dropout masks.</summary>
        public required long Seed { get; init; }

        /// <summary>The layers, the input layer first.</summary>
        public required IReadOnlyList<LayerConfig> Layers { get; init; }
    }

    /// <summary>One layer: its Keras class name, its name and its constructor arguments.</summary>
    public sealed class LayerConfig
    {
        /// <summary>
        /// Keras's class name: <c>InputLayer</c>, <c>Conv2D</c>, <c>MaxPooling2D</c>, <c>Flatten</c>,
        /// <c>Dropout</c>, <c>Dense</c>, <c>BatchNormalization</c> or <c>Activation</c>.
        /// </summary>
        public required string ClassName { get; init; }

        /// <summary>The layer's name, unique in the model; weights are named after it.</summary>
        public required string Name { get; init; }

        /// <summary>The arguments by Keras's names, e.g. <c>units</c>, <c>kernel_size</c>, <c>activation</c>.</summary>
        public required IReadOnlyDictionary<string, JsonElement> Config { get; init; }
    }

    /// <summary>The training recipe: what <c>Compile</c> and <c>Fit</c> were given. Every part is optional.</summary>
    public sealed class TrainingConfig
    {
        /// <summary>The optimizer and its settings.</summary>
        public OptimizerConfig? Optimizer { get; init; }

        /// <summary>The loss's Keras name, e.g. <c>categorical_crossentropy</c>.</summary>
        public string? Loss { get; init; }

        /// <summary>The metrics reported in training, e.g. <c>accuracy</c>.</summary>
        public IReadOnlyList<string>? Metrics { get; init; }

        /// <summary>Samples per training step.</summary>
        public int? BatchSize { get; init; }

        /// <summary>Epochs trained.</summary>
        public int? Epochs { get; init; }

        /// <summary>Fraction of the training data held out for validation.</summary>
        public double? ValidationSplit { get; init; }
    }

    /// <summary>An optimizer by its Keras name (<c>adam</c>, <c>rmsprop</c>, <c>sgd</c>) and its settings.</summary>
    public sealed class OptimizerConfig
    {
        /// <summary>The optimizer's Keras name.</summary>
        public required string Name { get; init; }

        /// <summary>The settings by Keras's argument names, e.g. <c>learning_rate</c>, <c>beta_1</c>.</summary>
        public required IReadOnlyDictionary<string, JsonElement> Config { get; init; }
    }

    /// <summary>Where one weight tensor lies in <c>weights.bin</c>, and its checksum.</summary>
    public sealed class WeightEntry
    {
        /// <summary>The tensor's name, <c>layer/weight</c>, e.g. <c>conv2d/kernel</c>.</summary>
        public required string Name { get; init; }

        /// <summary>The tensor's shape, e.g. (3, 3, 1, 32) for a Conv2D kernel.</summary>
        public required IReadOnlyList<int> Shape { get; init; }

        /// <summary>The element type: always <c>float32</c> (IEEE 754 binary32, little-endian).</summary>
        public required string Dtype { get; init; }

        /// <summary>Where the tensor starts in <c>weights.bin</c>.</summary>
        public required long ByteOffset { get; init; }

        /// <summary>The tensor's size in bytes: 4 × the product of <see cref="Shape"/>.</summary>
        public required long ByteLength { get; init; }

        /// <summary>SHA-256 of the tensor's bytes, lower-case hex.</summary>
        public required string Sha256 { get; init; }
    }
}
