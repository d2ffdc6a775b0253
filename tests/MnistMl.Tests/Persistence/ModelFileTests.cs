using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using MnistMl.Nn;
using MnistMl.Persistence;
using MnistMl.Tests.Data;
using MnistMl.Training;
using MnistMl.Transforms;

namespace MnistMl.Tests.Persistence;

public class ModelFileTests
{
    [Fact]
    public void Round_trip_of_every_layer_kind_predicts_bit_identically()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "model.zip");
        var (model, x) = TestModels.TrainedWithEveryLayerKind();
        var before = model.Predict(x);

        ModelFile.Save(path, model);
        var loaded = ModelFile.Load(path).Model;

        Assert.Equal(TestModels.Bits(before), TestModels.Bits(loaded.Predict(x)));
        Assert.Equal(model.Layers.Select(l => (l.TypeName, l.Name)), loaded.Layers.Select(l => (l.TypeName, l.Name)));
    }

    [Fact]
    public void Round_trip_keeps_batch_normalization_moving_statistics()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "model.zip");
        var (model, _) = TestModels.TrainedWithEveryLayerKind();
        var saved = model.Layers.OfType<BatchNormalization>().Single().GetWeights();
        Assert.Contains(saved[2].Data, v => v != 0);

        ModelFile.Save(path, model);
        var loaded = ModelFile.Load(path).Model.Layers.OfType<BatchNormalization>().Single();

        Assert.Equal(saved.Select(TestModels.Bits), loaded.GetWeights().Select(TestModels.Bits));
        Assert.Equal((0.9, 0.001), (loaded.Momentum, loaded.Epsilon));
    }

    [Fact]
    public void Round_trip_keeps_layer_configs_name_seed_and_compilation()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "model.zip");
        var (model, _) = TestModels.TrainedWithEveryLayerKind();

        model.Save(path);
        var loaded = ModelFile.Load(path).Model;

        Assert.Equal(("every_kind", 7L), (loaded.Name, loaded.Seed));
        Assert.Equal(model.Layers.Select(l => l.GetConfig()), loaded.Layers.Select(l => l.GetConfig()));
        var adam = Assert.IsType<Adam>(loaded.Optimizer);
        Assert.Equal((0.01, 0.9, 0.999, 1e-7), (adam.LearningRate, adam.Beta1, adam.Beta2, adam.Epsilon));
        Assert.Same(Losses.CategoricalCrossentropy, loaded.Loss);
        Assert.Equal([Metric.Accuracy], loaded.Metrics);
    }

    [Fact]
    public void Round_trip_keeps_the_pixel_scalings_to_the_bit()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "model.zip");
        PixelScaling[] scalings = [new(33.318421f, 78.567490f), PixelScaling.UnitRange];

        ModelFile.Save(path, TestModels.SmallCnn(), new ModelFileContents { PixelScalings = scalings });
        var loaded = ModelFile.Load(path);

        Assert.Equal(scalings, loaded.PixelScalings);
    }

    [Fact]
    public void Reshaping_and_one_hot_steps_of_earlier_files_are_checked_and_left_out_of_prediction()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "model.zip");
        ModelFile.Save(path, TestModels.SmallCnn(), new ModelFileContents { PixelScalings = [PixelScaling.UnitRange] });
        ModelZip.EditManifest(path, manifest => manifest["preprocessing"]!.AsArray().Add(JsonNode.Parse(
            """{"type":"ImageReshaping","parameters":{"inputColumn":"Image","outputColumn":"Image","height":3,"width":2,"channels":1}}""")));
        ModelZip.EditManifest(path, manifest => manifest["preprocessing"]!.AsArray().Add(JsonNode.Parse(
            """{"type":"OneHotEncoding","parameters":{"inputColumn":"Label","outputColumn":"Label","classCount":10}}""")));

        var loaded = ModelFile.Load(path);

        Assert.Equal([PixelScaling.UnitRange], loaded.PixelScalings);
    }

    [Fact]
    public void Manifest_describes_format_schema_preprocessing_architecture_training_metrics_and_weights()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "model.zip");
        var model = TestModels.SmallCnn();
        var start = DateTime.UtcNow;

        ModelFile.Save(path, model, new ModelFileContents
        {
            PixelScalings = [PixelScaling.UnitRange],
            FitOptions = new FitOptions { BatchSize = 16, Epochs = 3, ValidationSplit = 0.1 },
            Metrics = new Dictionary<string, double> { ["testAccuracy"] = 0.9921 },
        });

        var json = ModelZip.ReadManifest(path);
        Assert.Equal("mnistml-model", (string)json["format"]!);
        Assert.Equal(2, (int)json["formatVersion"]!);
        Assert.Equal(MnistMlVersion.Informational, (string)json["libraryVersion"]!);
        Assert.InRange((DateTime)json["createdUtc"]!, start, DateTime.UtcNow);
        Assert.Equal(
            """[{"name":"Image","type":"Byte","dimensions":[8,8]}]""",
            json["inputSchema"]!.ToJsonString());
        Assert.Equal(
            """[{"type":"PixelScaling","parameters":{"inputColumn":"Image","outputColumn":"Image","offset":0,"divisor":255}}]""",
            json["preprocessing"]!.ToJsonString());
        Assert.Equal(
            """{"className":"Conv2D","name":"conv2d","config":{"filters":4,"kernel_size":[3,3],"strides":[1,1],"padding":"valid","activation":"relu"}}""",
            ModelZip.Layer(json, "conv2d").ToJsonString());
        Assert.Equal(
            ["InputLayer", "Conv2D", "MaxPooling2D", "Flatten", "Dropout", "Dense"],
            json["architecture"]!["layers"]!.AsArray().Select(l => (string)l!["className"]!));
        Assert.Equal(("small_cnn", 3L), ((string)json["architecture"]!["name"]!, (long)json["architecture"]!["seed"]!));
        Assert.Equal(
            """{"optimizer":{"name":"adam","config":{"learning_rate":0.001,"beta_1":0.9,"beta_2":0.999,"epsilon":1E-07,"weight_decay":0}},"loss":"categorical_crossentropy","metrics":["accuracy"],"batchSize":16,"epochs":3,"validationSplit":0.1}""",
            json["training"]!.ToJsonString());
        Assert.Equal("""{"testAccuracy":0.9921}""", json["metrics"]!.ToJsonString());
        Assert.Equal(
            ["conv2d/kernel", "conv2d/bias", "dense/kernel", "dense/bias"],
            json["weights"]!.AsArray().Select(w => (string)w!["name"]!));
        Assert.StartsWith(
            """{"name":"dense/kernel","shape":[36,4],"dtype":"float32","byteOffset":160,"byteLength":576,"sha256":""",
            json["weights"]![2]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Loaded_manifest_matches_what_was_saved()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "model.zip");

        ModelFile.Save(path, TestModels.SmallCnn(), new ModelFileContents { Metrics = new Dictionary<string, double> { ["testAccuracy"] = 0.5 } });
        var manifest = ModelFile.Load(path).Manifest;

        Assert.Equal((ModelFile.FormatName, ModelFile.FormatVersion), (manifest.Format, manifest.FormatVersion));
        Assert.Equal(DateTimeKind.Utc, manifest.CreatedUtc.Kind);
        Assert.Empty(manifest.InputSchema);
        Assert.Empty(manifest.Preprocessing);
        Assert.Equal(0.5, manifest.Metrics!["testAccuracy"]);
        Assert.Equal("adam", manifest.Training!.Optimizer!.Name);
        Assert.Null(manifest.Training.BatchSize);
        Assert.Equal(4, manifest.Weights.Count);
    }

    [Fact]
    public void Weights_entry_is_every_tensor_as_little_endian_float32_in_table_order()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "model.zip");
        var (model, _) = TestModels.TrainedWithEveryLayerKind();

        ModelFile.Save(path, model);

        var weights = ModelZip.ReadEntries(path)[ModelFile.WeightsEntryName];
        var table = ModelFile.Load(path).Manifest.Weights;
        var tensors = model.Layers.SelectMany(l => l.GetWeights()).ToList();
        Assert.Equal(tensors.Count, table.Count);
        var offset = 0;
        for (var i = 0; i < table.Count; i++)
        {
            Assert.Equal(tensors[i].Shape, table[i].Shape);
            Assert.Equal((offset, 4 * tensors[i].Length), ((int)table[i].ByteOffset, (int)table[i].ByteLength));
            var bytes = weights.AsSpan(offset, 4 * tensors[i].Length);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), table[i].Sha256);
            for (var j = 0; j < tensors[i].Length; j++)
            {
                Assert.Equal(BitConverter.SingleToInt32Bits(tensors[i].Data[j]), BinaryPrimitives.ReadInt32LittleEndian(bytes.Slice(4 * j, 4)));
            }

            offset += bytes.Length;
        }

        Assert.Equal(weights.Length, offset);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(weights)), ModelFile.Load(path).Manifest.WeightsSha256);
    }

    [Fact]
    public void Load_from_a_forward_only_stream_gives_the_same_model()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "model.zip");
        var (model, x) = TestModels.TrainedWithEveryLayerKind();
        ModelFile.Save(path, model);

        var loaded = ModelFile.Load(new ForwardOnlyStream(File.ReadAllBytes(path)), "download").Model;

        Assert.Equal(TestModels.Bits(model.Predict(x)), TestModels.Bits(loaded.Predict(x)));
    }

    [Fact]
    public void Save_to_a_stream_writes_the_same_model_file()
    {
        var model = TestModels.SmallCnn();
        using var stream = new MemoryStream();

        ModelFile.Save(stream, model);
        stream.Position = 0;
        var loaded = ModelFile.Load(stream, "memory");

        Assert.Equal(model.Layers[1].GetWeights()[0].Data, loaded.Model.Layers[1].GetWeights()[0].Data);
    }

    [Fact]
    public void Save_replaces_an_existing_file_and_leaves_no_temporary_file()
    {
        using var folder = new TempFolder();
        var path = folder.Write("model.zip", [1, 2, 3]);

        ModelFile.Save(path, TestModels.SmallCnn());

        Assert.Equal(["model.zip"], folder.FileNames());
        Assert.Equal("small_cnn", ModelFile.Load(path).Model.Name);
    }

    [Fact]
    public void Save_that_fails_midway_keeps_the_existing_file_and_leaves_no_temporary_file()
    {
        using var folder = new TempFolder();
        var path = folder.Write("model.zip", [1, 2, 3]);
        var written = 0L;

        var error = Assert.Throws<FileAccessException>(() => ModelFile.Save(path, TestModels.SmallCnn(), null, stream => new FailingStream(stream, 300, n => written = n)));

        Assert.Equal($"cannot write {path}: disk full", error.Message);
        Assert.Equal(300, written);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        Assert.Equal(["model.zip"], folder.FileNames());
    }

    [Fact]
    public void Save_rejects_a_metric_that_is_not_finite()
    {
        using var folder = new TempFolder();
        var contents = new ModelFileContents { Metrics = new Dictionary<string, double> { ["loss"] = double.NaN } };

        var error = Assert.Throws<ArgumentException>(() => ModelFile.Save(Path.Combine(folder.Path, "model.zip"), TestModels.SmallCnn(), contents));

        Assert.Contains("Metric 'loss' = NaN cannot be saved", error.Message, StringComparison.Ordinal);
        Assert.Empty(folder.FileNames());
    }

    /// <summary>Passes writes through until <c>limit</c> bytes, then fails as a full disk does.</summary>
    private sealed class FailingStream(Stream inner, long limit, Action<long> reportWritten) : Stream
    {
        private long _written;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _written;
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            var allowed = (int)Math.Min(buffer.Length, limit - _written);
            inner.Write(buffer[..allowed]);
            _written += allowed;
            reportWritten(_written);
            if (allowed < buffer.Length)
            {
                throw new IOException("disk full");
            }
        }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
