using System.Text;
using System.Text.Json.Nodes;
using MnistMl.Persistence;
using MnistMl.Tests.Data;

namespace MnistMl.Tests.Persistence;

/// <summary>Every way a model file can be wrong fails with a <see cref="ModelFormatException"/> naming the file and the reason.</summary>
public sealed class ModelFileLoadErrorTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _path;

    public ModelFileLoadErrorTests()
    {
        _path = Path.Combine(_folder.Path, "model.zip");
        ModelFile.Save(_path, TestModels.SmallCnn());
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Load_rejects_a_file_that_is_not_a_zip()
    {
        File.WriteAllText(_path, "conv2d,32,3,relu\n");

        AssertRejected("not a zip archive, so not a MnistMl model file");
    }

    [Fact]
    public void Load_from_a_stream_names_its_display_name()
    {
        var error = Assert.Throws<ModelFormatException>(() => ModelFile.Load(new MemoryStream([1, 2, 3]), "https://example.org/mnist.zip"));

        Assert.Equal("https://example.org/mnist.zip", error.FilePath);
        Assert.StartsWith("https://example.org/mnist.zip: not a zip archive", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_rejects_a_zip_without_a_manifest()
    {
        ModelZip.Rewrite(_path, entries => entries.Remove(ModelFile.ManifestEntryName));

        AssertRejected("entry 'manifest.json' is missing; a model file holds 'manifest.json' and 'weights.bin'.");
    }

    [Fact]
    public void Load_rejects_a_zip_without_weights()
    {
        ModelZip.Rewrite(_path, entries => entries.Remove(ModelFile.WeightsEntryName));

        AssertRejected("entry 'weights.bin' is missing; a model file holds 'manifest.json' and 'weights.bin'.");
    }

    [Fact]
    public void Load_rejects_a_manifest_whose_text_is_not_utf8()
    {
        // Found by fuzzing: System.Text.Json only decodes a string's bytes when asked for the
        // string, and then throws InvalidOperationException, which escaped as a crash.
        ModelZip.Rewrite(_path, entries =>
        {
            var text = entries[ModelFile.ManifestEntryName];
            var name = Encoding.UTF8.GetBytes("\"small_cnn\"");
            var at = text.AsSpan().IndexOf(name);
            text[at + 1] = 0x9B;
        });

        AssertRejected("entry 'manifest.json' is not valid UTF-8 text.");
    }

    [Fact]
    public void Load_rejects_a_manifest_that_is_not_valid_json()
    {
        ModelZip.Rewrite(_path, entries => entries[ModelFile.ManifestEntryName] = Encoding.UTF8.GetBytes("""{"format": "mnistml-model", """));

        AssertRejected("entry 'manifest.json' is not valid JSON (");
    }

    [Fact]
    public void Load_rejects_a_manifest_missing_a_required_part()
    {
        ModelZip.EditManifest(_path, manifest => manifest.Remove("architecture"));

        AssertRejected("entry 'manifest.json' does not describe a model: JSON deserialization for type 'MnistMl.Persistence.ModelManifest' was missing required properties including: 'architecture'.");
    }

    [Fact]
    public void Load_rejects_a_manifest_list_holding_a_null()
    {
        ModelZip.EditManifest(_path, manifest => manifest["architecture"]!["layers"]!.AsArray().Add(null));

        AssertRejected("entry 'manifest.json' does not describe a model: $.architecture.layers holds a null.");
    }

    [Fact]
    public void Load_rejects_an_unknown_loss()
    {
        ModelZip.EditManifest(_path, manifest => manifest["training"]!["loss"] = "hinge");

        AssertRejected(
            "the training recipe: Unknown loss 'hinge'. Known: categorical_crossentropy, sparse_categorical_crossentropy, mean_squared_error, mean_absolute_error.");
    }

    [Fact]
    public void Load_rejects_another_format_name()
    {
        ModelZip.EditManifest(_path, manifest => manifest["format"] = "keras-v3");

        AssertRejected("entry 'manifest.json' is of format 'keras-v3', not 'mnistml-model': not a MnistMl model file.");
    }

    [Fact]
    public void Load_rejects_a_newer_format_version()
    {
        // A newer version may change anything else, so the version is checked before the rest is read.
        ModelZip.EditManifest(_path, manifest =>
        {
            manifest["formatVersion"] = 3;
            manifest.Remove("weights");
        });

        AssertRejected("written by a newer MnistMl (format version 3; this build reads up to 2)");
    }

    [Fact]
    public void Load_rejects_weights_that_fail_their_checksum()
    {
        ModelZip.Rewrite(_path, entries => entries[ModelFile.WeightsEntryName][200] ^= 0x01);

        AssertRejected("entry 'weights.bin' fails its SHA-256 checksums: weight 'dense/kernel' differs from what was saved. The file is damaged.");
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void Load_rejects_a_weight_that_is_not_finite_even_under_matching_checksums(float value)
    {
        var manifest = ModelZip.ReadManifest(_path);
        var first = manifest["weights"]![0]!;
        var (offset, length) = ((int)first["byteOffset"]!, (int)first["byteLength"]!);
        ModelZip.Rewrite(_path, entries =>
        {
            var weights = entries[ModelFile.WeightsEntryName];
            BitConverter.TryWriteBytes(weights.AsSpan(offset + 4), value);
            manifest["weights"]![0]!["sha256"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(weights.AsSpan(offset, length)));
            manifest["weightsSha256"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(weights));
            entries[ModelFile.ManifestEntryName] = Encoding.UTF8.GetBytes(manifest.ToJsonString());
        });

        AssertRejected($"weight '{(string)first["name"]!}' holds {value} at index 1; weights must be finite numbers.");
    }

    [Fact]
    public void Load_rejects_a_deflated_weights_entry_whatever_its_checksums()
    {
        ModelZip.WriteEntries(_path, ModelZip.ReadEntries(_path), deflateWeights: true);

        AssertRejected("entry 'weights.bin' takes ");
    }

    [Fact]
    public void Load_rejects_a_pixel_divisor_too_small_to_scale_grey_levels()
    {
        ModelZip.EditManifest(_path, manifest => manifest["preprocessing"] = JsonNode.Parse(
            """[{"type":"PixelScaling","parameters":{"inputColumn":"Image","outputColumn":"Image","offset":0,"divisor":1E-45}}]"""));

        AssertRejected("preprocessing step 0 (PixelScaling) has config 'divisor' = 1E-45; it must be a float32 number at least 1E-06.");
    }

    [Fact]
    public void Load_rejects_a_weight_shape_that_disagrees_with_the_architecture()
    {
        ModelZip.EditManifest(_path, manifest => manifest["weights"]![0]!["shape"] = new JsonArray(3, 3, 4, 1));

        AssertRejected("weight 'conv2d/kernel' has shape (3, 3, 4, 1) in the weights table but the architecture needs (3, 3, 1, 4).");
    }

    [Fact]
    public void Load_rejects_an_architecture_that_disagrees_with_the_weights_table()
    {
        ModelZip.EditManifest(_path, manifest => ModelZip.LayerConfig(manifest, "dense")["units"] = 5);

        AssertRejected("weight 'dense/kernel' has shape (36, 4) in the weights table but the architecture needs (36, 5).");
    }

    [Fact]
    public void Load_rejects_a_weights_entry_of_the_wrong_size()
    {
        ModelZip.Rewrite(_path, entries => entries[ModelFile.WeightsEntryName] = entries[ModelFile.WeightsEntryName][..^4]);

        AssertRejected("entry 'weights.bin' holds 748 bytes but the weights table needs 752.");
    }

    [Fact]
    public void Load_refuses_a_weights_entry_that_holds_more_than_it_declares()
    {
        ModelZip.Rewrite(_path, entries => entries[ModelFile.WeightsEntryName] = [.. entries[ModelFile.WeightsEntryName], .. new byte[1 << 20]]);
        ModelZip.SetDeclaredSize(_path, ModelFile.WeightsEntryName, 752);

        AssertRejected("entry 'weights.bin' takes 1,049,328 bytes in the archive for the 752 it declares; the format stores it uncompressed, so the two must be equal.");
    }

    [Fact]
    public void Weights_reading_rejects_an_entry_stream_longer_than_declared()
    {
        var error = Assert.Throws<ModelFormatException>(() => ModelFileReader.ReadWeightsBytes(new MemoryStream(new byte[753]), 752, "bomb.zip"));

        Assert.Equal("entry 'weights.bin' decompresses to more than the 752 bytes it declares.", error.Reason);
    }

    [Fact]
    public void Weights_reading_rejects_an_entry_stream_shorter_than_declared()
    {
        var error = Assert.Throws<ModelFormatException>(() => ModelFileReader.ReadWeightsBytes(new MemoryStream(new byte[700]), 752, "short.zip"));

        Assert.Equal("entry 'weights.bin' ends after 700 of its 752 bytes.", error.Reason);
    }

    [Fact]
    public void Manifest_reading_stops_at_its_cap_on_an_endless_stream()
    {
        var stream = new EndlessStream();

        var error = Assert.Throws<ModelFormatException>(() => ModelFileReader.ReadManifestBytes(stream, "bomb.zip"));

        Assert.Equal("entry 'manifest.json' decompresses to more than the 16,777,216 bytes a manifest may have.", error.Reason);
        Assert.InRange(stream.BytesRead, 16 << 20, (16 << 20) + (1 << 20));
    }

    [Fact]
    public void Load_rejects_an_unknown_layer_type()
    {
        ModelZip.EditManifest(_path, manifest => ModelZip.Layer(manifest, "flatten")["className"] = "GlobalAveragePooling2D");

        AssertRejected(
            "layer 'flatten' has unknown type 'GlobalAveragePooling2D'; the known layer types are InputLayer, Conv2D, MaxPooling2D, Flatten, Dropout, Dense, BatchNormalization, Activation, Ensemble.");
    }

    [Fact]
    public void Load_rejects_a_bad_layer_config_value()
    {
        ModelZip.EditManifest(_path, manifest => ModelZip.LayerConfig(manifest, "dropout")["rate"] = 1.5);

        AssertRejected("layer 'dropout' (Dropout) has config 'rate' = 1.5; it must be a number in [0, 1).");
    }

    [Fact]
    public void Load_rejects_an_unknown_layer_config_key()
    {
        ModelZip.EditManifest(_path, manifest => ModelZip.LayerConfig(manifest, "dense")["use_bias"] = false);

        AssertRejected("layer 'dense' (Dense) has unknown config 'use_bias'; it takes 'activation', 'units'.");
    }

    [Fact]
    public void Load_rejects_a_dense_layer_of_a_trillion_units()
    {
        ModelZip.EditManifest(_path, manifest => ModelZip.LayerConfig(manifest, "dense")["units"] = 1_000_000_000_000);

        AssertRejected("layer 'dense' (Dense) has config 'units' = 1000000000000; it must be a whole number from 1 to 2147483647.");
    }

    [Fact]
    public void Load_rejects_an_absurdly_large_architecture_before_allocating_it()
    {
        ModelZip.EditManifest(_path, manifest => ModelZip.LayerConfig(manifest, "dense")["units"] = 2_000_000_000);
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();

        AssertRejected(
            "layer 'dense' (Dense) needs a 'kernel' of shape (36, 2000000000), which takes the model past the 268,435,456 weights a model file may hold.");
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - allocatedBefore, 0, 16 << 20);
    }

    [Fact]
    public void Load_rejects_an_input_shape_too_large_for_one_sample()
    {
        ModelZip.EditManifest(_path, manifest => ModelZip.LayerConfig(manifest, "input_layer")["shape"] = new JsonArray(100_000, 100_000, 1));

        AssertRejected("layer 'input_layer' (InputLayer) has shape (100000, 100000, 1): more than 2,147,483,647 values per sample.");
    }

    [Fact]
    public void Load_rejects_a_manifest_larger_than_its_cap()
    {
        // 17 MiB of spaces in valid JSON deflate to a few KiB: the declared size is refused unread.
        ModelZip.Rewrite(_path, entries => entries[ModelFile.ManifestEntryName] = [.. entries[ModelFile.ManifestEntryName], .. Enumerable.Repeat((byte)' ', 17 << 20)]);

        AssertRejected("entry 'manifest.json' declares 17,");
    }

    [Fact]
    public void Load_rejects_an_unknown_optimizer()
    {
        ModelZip.EditManifest(_path, manifest => manifest["training"]!["optimizer"]!["name"] = "adagrad");

        AssertRejected("the training recipe names unknown optimizer 'adagrad'; the known optimizers are adam, rmsprop, sgd.");
    }

    [Fact]
    public void Load_rejects_an_unknown_preprocessing_step()
    {
        ModelZip.EditManifest(_path, manifest => manifest["preprocessing"] = JsonNode.Parse("""[{"type":"Grayscale","parameters":{}}]"""));

        AssertRejected("preprocessing step 0 has unknown type 'Grayscale'; the known types are PixelScaling, ImageReshaping, OneHotEncoding.");
    }

    [Fact]
    public void Load_refuses_every_single_bit_flip_anywhere_in_the_file()
    {
        // Issue 14 #7: flips inside the deflated manifest used to load, some with another pixel
        // divisor. The seal covers every byte, so each of these must be refused, and by our check.
        var original = File.ReadAllBytes(_path);
        var loaded = new List<string>();
        var unexpected = new List<string>();
        for (var bit = 0; bit < original.Length * 8; bit++)
        {
            var damaged = (byte[])original.Clone();
            damaged[bit / 8] ^= (byte)(1 << (bit % 8));
            switch (Record.Exception(() => ModelFile.Load(new MemoryStream(damaged), "damaged.zip")))
            {
                case null:
                    loaded.Add($"byte {bit / 8} bit {bit % 8}");
                    break;
                case ModelFormatException:
                    break;
                case var error:
                    unexpected.Add($"byte {bit / 8} bit {bit % 8}: {error.GetType().Name}: {error.Message}");
                    break;
            }
        }

        Assert.Empty(unexpected);
        Assert.Empty(loaded);
    }

    [Fact]
    public void Load_names_a_file_whose_bytes_differ_from_its_seal()
    {
        var bytes = File.ReadAllBytes(_path);
        bytes[100] ^= 4;
        File.WriteAllBytes(_path, bytes);

        AssertRejected("fails its integrity check: the SHA-256 of its bytes differs from the one sealed at its end. The file is damaged.");
    }

    [Fact]
    public void Load_refuses_a_file_past_the_size_limit_before_hashing_it()
    {
        using (var file = File.OpenWrite(_path))
        {
            file.SetLength(ModelFile.MaxFileBytes + 1);   // sparse: takes no disk
        }

        AssertRejected($"larger than the {ModelFile.MaxFileBytes:N0} bytes a model file can be.");
    }

    [Fact]
    public void Load_names_a_zip_without_the_seal()
    {
        var entries = ModelZip.ReadEntries(_path);
        using (var zip = new System.IO.Compression.ZipArchive(File.Create(_path), System.IO.Compression.ZipArchiveMode.Create))
        {
            foreach (var (name, content) in entries)
            {
                using var stream = zip.CreateEntry(name).Open();
                stream.Write(content);
            }
        }

        AssertRejected("has no integrity seal (the zip comment 'mnistml-sha256:' and the SHA-256 of every byte before it), so its bytes cannot be checked. "
            + "Files saved by MnistMl before it sealed its model files (early December 2026) have none: train the model again with this version. Otherwise it was changed after it was saved, or written by something else.");
    }

    [Fact]
    public void Load_takes_a_lower_weight_limit_and_refuses_a_larger_model_before_allocating()
    {
        var count = ModelFile.Load(_path).Model.WeightTable().Sum(t => t.Values.Length);

        Assert.NotNull(ModelFile.Load(_path, maxWeights: count));
        var error = Assert.Throws<ModelFormatException>(() => ModelFile.Load(_path, maxWeights: count - 1));
        Assert.EndsWith($"which takes the model past the {count - 1:N0} weights this load allows.", error.Reason, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => ModelFile.Load(_path, maxWeights: ModelFile.MaxWeightCount + 1));
    }

    [Fact]
    public void Load_rejects_a_training_state_split_from_its_arrays()
    {
        SaveWithTrainingState();
        ModelZip.Rewrite(_path, entries => entries.Remove("training-state.bin"));

        AssertRejected("holds one of 'training-state.json' and 'training-state.bin' without the other.");
    }

    [Fact]
    public void Load_rejects_training_state_arrays_that_disagree_with_their_list()
    {
        SaveWithTrainingState();
        ModelZip.Rewrite(_path, entries => entries["training-state.bin"] = entries["training-state.bin"][..^4]);

        AssertRejected("entry 'training-state.bin' holds ");
    }

    [Fact]
    public void Load_rejects_a_training_state_whose_history_disagrees_with_its_epochs()
    {
        SaveWithTrainingState();
        ModelZip.Rewrite(_path, entries =>
        {
            var state = JsonNode.Parse(entries["training-state.json"])!.AsObject();
            state["completedEpochs"] = 7;
            entries["training-state.json"] = Encoding.UTF8.GetBytes(state.ToJsonString());
        });

        AssertRejected("entry 'training-state.json' says 7 epochs were finished but holds 1 in its history, numbered from 0.");
    }

    [Fact]
    public void Load_rejects_a_training_state_with_a_null_history_entry()
    {
        SaveWithTrainingState();
        ModelZip.Rewrite(_path, entries =>
        {
            var state = JsonNode.Parse(entries["training-state.json"])!.AsObject();
            state["history"] = new JsonArray((JsonNode?)null);
            entries["training-state.json"] = Encoding.UTF8.GetBytes(state.ToJsonString());
        });

        AssertRejected("entry 'training-state.json' holds a history entry that is null.");
    }

    [Fact]
    public void Load_rejects_a_training_state_that_does_not_fit_its_own_model()
    {
        // Consistent in itself (arrays against their list), but written for another optimizer: the file is damaged, not the command line wrong.
        SaveWithTrainingState();
        ModelZip.Rewrite(_path, entries =>
        {
            var state = JsonNode.Parse(entries["training-state.json"])!.AsObject();
            state["optimizer"]!["name"] = "rmsprop";
            entries["training-state.json"] = Encoding.UTF8.GetBytes(state.ToJsonString());
        });

        AssertRejected("holds a training state that does not fit its own model: The run to resume used rmsprop; this model is compiled with adam.");
    }

    /// <summary>Replaces the file with one saved after an epoch, training state included.</summary>
    private void SaveWithTrainingState()
    {
        var model = TestModels.SmallCnn();
        var capture = new StateCapture();
        var options = new MnistMl.Training.FitOptions { Epochs = 1, BatchSize = 8 };
        options.Callbacks.Add(capture);
        var (x, y) = MnistMl.Tests.Nn.SyntheticData.Quadrants(16);
        model.Fit(new MnistMl.Training.TensorSampleSource(x, y), options);
        ModelFile.Save(_path, model, new ModelFileContents { TrainingState = capture.State });
        Assert.NotNull(ModelFile.Load(_path).TrainingState);
    }

    private void AssertRejected(string reason)
    {
        var error = Assert.Throws<ModelFormatException>(() => ModelFile.Load(_path));
        Assert.Equal(_path, error.FilePath);
        Assert.StartsWith($"{_path}: ", error.Message, StringComparison.Ordinal);
        if (reason.EndsWith('.'))
        {
            Assert.Equal(reason, error.Reason);
        }
        else
        {
            Assert.StartsWith(reason, error.Reason, StringComparison.Ordinal);
        }
    }

    /// <summary>Spaces without end, as a decompressing zip bomb yields them.</summary>
    private sealed class EndlessStream : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => BytesRead;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            buffer.AsSpan(offset, count).Fill((byte)' ');
            BytesRead += count;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private sealed class StateCapture : MnistMl.Training.Callback
    {
        public MnistMl.Training.TrainingState? State { get; private set; }

        public override bool NeedsTrainingState => true;

        public override void OnEpochCompleted(MnistMl.Training.TrainingState state) => State = state;
    }
}
