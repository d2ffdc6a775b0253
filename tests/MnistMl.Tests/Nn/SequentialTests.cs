using MnistMl.Nn;
using MnistMl.Nn.Kernels;
using MnistMl.Training;

namespace MnistMl.Tests.Nn;

public class SequentialTests
{
    [Fact]
    public void Whole_network_gradient_matches_finite_differences_in_float64()
    {
        // The cnn preset's layer kinds in miniature, with the softmax fused into the cross-entropy.
        Layer[] Layers_() =>
        [
            Layers.Input(7, 7, 1), Layers.Conv2D(3, 3, Activation.Relu), Layers.MaxPooling2D(2),
            Layers.Conv2D(2, 2, Activation.Elu), Layers.Flatten(), Layers.Dense(4, Activation.Softmax),
        ];
        Network<double> Create()
        {
            var net = Network<double>.Build(Layers_(), seed: 3);
            net.Ops[^1].OutputGradientIsPreActivation = true;
            return net;
        }

        var (x, y) = SyntheticData.Quadrants(3, size: 7);
        var input = x.Data.Select(v => (double)v).ToArray();
        var targets = y.Data.Select(v => (double)v).ToArray();
        double LossOf(Network<double> net)
        {
            var outputs = net.Forward(input, 3, training: false);
            return Losses.CategoricalCrossentropy.Compute<double>(outputs.AsSpan(0, 12), targets, 3, 4, [], false) / 3;
        }

        var network = Create();
        var outputs = network.Forward(input, 3, training: true); // no dropout: the same function, with what backward needs recorded
        var gradient = new double[12];
        Losses.CategoricalCrossentropy.Compute<double>(outputs.AsSpan(0, 12), targets, 3, 4, gradient, fusedSoftmax: true);
        network.Backward(gradient, 3);
        for (var p = 0; p < network.Parameters.Count; p++)
        {
            for (var i = 0; i < network.Parameters[p].Value.Length; i++)
            {
                var plus = Create();
                plus.Parameters[p].Value[i] += 1e-6;
                var minus = Create();
                minus.Parameters[p].Value[i] -= 1e-6;
                GradientChecker.AssertClose((LossOf(plus) - LossOf(minus)) / 2e-6, network.Parameters[p].Gradient[i], 1e-6, $"parameter {p} [{i}]");
            }
        }
    }

    [Fact]
    public void Training_is_bit_identical_for_1_2_and_8_threads()
    {
        var (x, y) = SyntheticData.Quadrants(300, size: 12);
        byte[] Train(int threads)
        {
            var saved = WorkerPool.MaxThreads;
            WorkerPool.MaxThreads = threads;
            try
            {
                var model = new Sequential(
                    // The second and third convolutions have 16 channels in: Winograd, the second fused with its pooling.
                    Layers.Input(12, 12, 1), Layers.Conv2D(16, 3, Activation.Relu), Layers.Conv2D(16, 3, Activation.Relu), Layers.MaxPooling2D(2),
                    Layers.Conv2D(8, 3, Activation.Elu), Layers.Flatten(), Layers.Dropout(0.5), Layers.Dense(4, Activation.Softmax))
                { Seed = 42 };
                model.Compile(new Adam(), Losses.CategoricalCrossentropy, Metric.Accuracy);
                model.Fit(x, y, batchSize: 64, epochs: 2, validationSplit: 0.2);
                return [.. model.WeightTable().SelectMany(t => t.Values.SelectMany(BitConverter.GetBytes))];
            }
            finally
            {
                WorkerPool.MaxThreads = saved;
            }
        }

        var one = Train(1);
        Assert.Equal(one, Train(2));
        Assert.Equal(one, Train(8));
    }

    [Fact]
    public void Same_seed_gives_the_same_weights_and_another_seed_different_ones()
    {
        static float[] Weights(long seed)
        {
            var model = SyntheticData.SmallCnn(seed);
            model.Compile(new Adam(), Losses.CategoricalCrossentropy);
            return model.Layers[1].GetWeights()[0].Data;
        }

        Assert.Equal(Weights(5), Weights(5));
        Assert.NotEqual(Weights(5), Weights(6));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Fit_learns_a_separable_problem(bool sparse)
    {
        var (x, y) = SyntheticData.Quadrants(400, sparse: sparse);
        var model = SyntheticData.SmallCnn();
        model.Compile(new Adam(0.01), sparse ? Losses.SparseCategoricalCrossentropy : Losses.CategoricalCrossentropy, Metric.Accuracy);
        var history = model.Fit(x, y, batchSize: 32, epochs: 5, validationSplit: 0.25);
        Assert.True(history.Loss[^1] < history.Loss[0], "training loss must fall");
        Assert.True(history.ValAccuracy[^1] >= 0.95, $"validation accuracy {history.ValAccuracy[^1]}");
        var (tx, ty) = SyntheticData.Quadrants(200, seed: 99, sparse: sparse);
        Assert.True(model.Evaluate(tx, ty).Accuracy >= 0.95);
    }

    [Fact]
    public void Validation_split_holds_out_the_last_samples_before_shuffling()
    {
        // Samples 0–79 are learnable; the last 20 have flipped labels. Validation (the last 20%) must
        // therefore score near zero while training accuracy is high.
        var (x, y) = SyntheticData.Quadrants(100);
        for (var n = 80; n < 100; n++)
        {
            var row = y.Sample(n);
            var label = row.IndexOf(1f);
            row.Clear();
            row[(label + 1) % 4] = 1;
        }

        var model = SyntheticData.SmallCnn(dropout: false);
        model.Compile(new Adam(0.01), Losses.CategoricalCrossentropy, Metric.Accuracy);
        var history = model.Fit(x, y, batchSize: 16, epochs: 8, validationSplit: 0.2);
        Assert.True(history.Accuracy[^1] > 0.9);
        Assert.True(history.ValAccuracy[^1] < 0.2);
    }

    [Fact]
    public void Predict_returns_probabilities_per_sample_and_matches_evaluate()
    {
        var (x, y) = SyntheticData.Quadrants(50);
        var model = SyntheticData.SmallCnn();
        model.Compile(new Adam(), Losses.CategoricalCrossentropy, Metric.Accuracy);
        var predictions = model.Predict(x, batchSize: 7);
        Assert.Equal(new[] { 50, 4 }, predictions.Shape);
        for (var n = 0; n < 50; n++)
        {
            Assert.Equal(1.0, predictions.Sample(n).ToArray().Sum(), 5);
        }

        var correct = Enumerable.Range(0, 50).Count(n => Metric.ArgMax<float>(predictions.Sample(n)) == Metric.ArgMax<float>(y.Sample(n)));
        Assert.Equal(correct / 50.0, model.Evaluate(x, y, batchSize: 13).Accuracy, 12);
    }

    [Fact]
    public void Summary_of_the_cnn_preset_shows_keras_shapes_and_34826_parameters()
    {
        var model = ModelPreset.Cnn.CreateModel();
        var text = model.Summary(TextWriter.Null);
        Assert.Equal(34_826, model.CountParams());
        Assert.Contains(" conv2d (Conv2D)", text, StringComparison.Ordinal);
        Assert.Contains("(None, 26, 26, 32)", text, StringComparison.Ordinal);
        Assert.Contains("(None, 5, 5, 64)", text, StringComparison.Ordinal);
        Assert.Contains("(None, 1600)", text, StringComparison.Ordinal);
        Assert.Contains("Total params: 34,826", text, StringComparison.Ordinal);
        Assert.Contains("Non-trainable params: 0", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cnn", 34_826)]
    [InlineData("mlp", 407_050)]
    [InlineData("cnn64", 4_608 * 10 + 10 + 640 + 18_464)]
    [InlineData("dnn", 42_310)]
    public void Presets_have_the_notebooks_parameter_counts(string name, int parameters) =>
        Assert.Equal(parameters, ModelPreset.Get(name).CreateModel().CountParams());

    [Fact]
    public void Batch_normalization_reports_its_moving_statistics_as_non_trainable()
    {
        var model = new Sequential(Layers.Input(4), Layers.BatchNormalization(), Layers.Dense(2));
        var text = model.Summary(TextWriter.Null);
        Assert.Contains("Non-trainable params: 8", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Model_without_an_input_layer_is_rejected_with_the_fix()
    {
        var model = new Sequential(Layers.Dense(3));
        var error = Assert.Throws<InvalidOperationException>(() => model.Compile(new Adam(), Losses.MeanSquaredError));
        Assert.Contains("Layers.Input", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dense_on_an_image_is_rejected_naming_the_missing_flatten()
    {
        var model = new Sequential(Layers.Input(28, 28, 1), Layers.Dense(10));
        var error = Assert.Throws<InvalidOperationException>(() => model.Compile(new Adam(), Losses.MeanSquaredError));
        Assert.Contains("Flatten", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void One_hot_targets_with_a_sparse_loss_are_rejected_with_the_fix()
    {
        var (x, y) = SyntheticData.Quadrants(10);
        var model = SyntheticData.SmallCnn();
        model.Compile(new Adam(), Losses.SparseCategoricalCrossentropy);
        var error = Assert.Throws<ArgumentException>(() => model.Fit(x, y));
        Assert.Contains("categorical_crossentropy", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_before_compile_is_rejected()
    {
        var (x, y) = SyntheticData.Quadrants(10);
        Assert.Throws<InvalidOperationException>(() => SyntheticData.SmallCnn().Fit(x, y));
    }

    [Fact]
    public void Unknown_loss_metric_and_preset_names_are_errors()
    {
        Assert.Throws<ArgumentException>(() => Losses.FromName("crossentropy"));
        Assert.Throws<ArgumentException>(() => Metric.FromName("f1"));
        Assert.Throws<ArgumentException>(() => ModelPreset.Get("resnet"));
    }

    [Fact]
    public void Cancellation_stops_fit_after_the_current_batch()
    {
        var (x, y) = SyntheticData.Quadrants(100);
        var model = SyntheticData.SmallCnn();
        model.Compile(new Adam(), Losses.CategoricalCrossentropy);
        using var cancel = new CancellationTokenSource();
        var counter = new BatchCounter(cancel, cancelAfter: 2);
        Assert.Throws<OperationCanceledException>(() => model.Fit(x, y, batchSize: 10, epochs: 3, callbacks: [counter], cancellationToken: cancel.Token));
        Assert.Equal(2, counter.Batches);
    }

    private sealed class BatchCounter(CancellationTokenSource cancel, int cancelAfter) : Callback
    {
        public int Batches { get; private set; }

        public override void OnBatchEnd(in BatchLogs logs)
        {
            if (++Batches == cancelAfter)
            {
                cancel.Cancel();
            }
        }
    }
}
