using MnistMl.Nn;
using MnistMl.Persistence;
using MnistMl.Tests.Data;
using MnistMl.Tests.Persistence;

namespace MnistMl.Tests.Nn;

/// <summary>
/// An ensemble is one layer of one model: its output is the mean of its members' (to the bit:
/// their sum in order over their number), its gradients are the finite differences', and it
/// saves, loads and trains like any model.
/// </summary>
public sealed class EnsembleTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void An_ensemble_of_trained_models_predicts_the_mean_of_their_probabilities_bit_for_bit()
    {
        var (x, _) = SyntheticData.Quadrants(40);
        var members = new[] { Trained(1), Trained(2), Trained(3) };

        var ensemble = Sequential.Ensemble(members, "three");

        var outputs = members.Select(m => m.Predict(x).Data).ToArray();
        var expected = outputs[0].Select((_, i) => (outputs[0][i] + outputs[1][i] + outputs[2][i]) / 3f).ToArray();
        Assert.Equal(expected, ensemble.Predict(x).Data);
        Assert.Equal("three", ensemble.Name);
        Assert.Equal(members.Sum(m => m.CountParams()), ensemble.CountParams());
        Assert.Equal(
            members.SelectMany(m => m.Layers.Skip(1).SelectMany(l => l.GetWeights())).Select(w => w.Data),
            ensemble.Layers[1].GetWeights().Select(w => w.Data));
    }

    [Fact]
    public void Ensemble_gradients_match_finite_differences_in_training_and_inference()
    {
        Layer[] Member(Activation activation) => [Layers.Conv2D(2, 3, activation), Layers.BatchNormalization(momentum: 0.5), Layers.Flatten(), Layers.Dense(3, Activation.Softmax)];

        GradientChecker.CheckLayer(Layers.Ensemble([Member(Activation.Tanh), Member(Activation.Elu)]), [5, 5, 1], batch: 3);
        // Inference mode (batch normalisation with its moving statistics), members of dense layers.
        Layer[] Flat() => [Layers.Flatten(), Layers.Dense(4, Activation.Elu), Layers.BatchNormalization(), Layers.Dense(3, Activation.Softmax)];
        GradientChecker.CheckLayer(Layers.Ensemble([Flat(), Flat(), [Layers.Flatten(), Layers.Dense(3, Activation.Softmax)]]), [5, 5, 1], batch: 2, training: false);
    }

    [Fact]
    public void Layers_before_an_ensemble_learn_through_it()
    {
        // The model's first Dense skips its input gradient; the ensemble after it must give one.
        var model = new Sequential(Layers.Input(6), Layers.Dense(5, Activation.Tanh), Layers.Ensemble([[Layers.Dense(3, Activation.Softmax)], [Layers.Dense(4, Activation.Tanh), Layers.Dense(3, Activation.Softmax)]])) { Seed = 2 };
        model.Compile(new SGD(learningRate: 0.1), Losses.CategoricalCrossentropy);
        var before = model.Layers[1].GetWeights()[0].Data.ToArray();
        var random = new RandomSource(4);
        var x = new Tensor(8, 6);
        var y = new Tensor(8, 3);
        for (var i = 0; i < 8; i++)
        {
            x.Data.AsSpan(i * 6, 6).Fill(random.NextSingle());
            y.Data[(i * 3) + (i % 3)] = 1;
        }

        model.Fit(x, y, batchSize: 8, epochs: 1);

        Assert.NotEqual(before, model.Layers[1].GetWeights()[0].Data);
        GradientChecker.CheckLayer(Layers.Ensemble([[Layers.Dense(3, Activation.Softmax)], [Layers.Dense(2, Activation.Tanh), Layers.Dense(3, Activation.Softmax)]]), [4], batch: 3);
    }

    [Fact]
    public void A_saved_ensemble_loads_with_the_same_weights_names_and_outputs()
    {
        var (x, _) = SyntheticData.Quadrants(20);
        var ensemble = Sequential.Ensemble([Trained(1), Trained(2)]);
        var path = Path.Combine(_folder.Path, "ensemble.zip");

        ModelFile.Save(path, ensemble);
        var loaded = ModelFile.Load(path).Model;

        Assert.Equal(ensemble.WeightsSha256(), loaded.WeightsSha256());
        Assert.Equal(ensemble.Predict(x).Data, loaded.Predict(x).Data);
        Assert.Equal(
            ["ensemble/member_0/conv2d/kernel", "ensemble/member_0/conv2d/bias", "ensemble/member_0/dense/kernel", "ensemble/member_0/dense/bias", "ensemble/member_1/conv2d/kernel"],
            loaded.WeightTable().Take(5).Select(w => w.Name));
        Assert.Equal("sequential_ensemble", loaded.Name);
    }

    [Fact]
    public void An_ensemble_trains_its_members_jointly_and_repeats_bit_for_bit()
    {
        Sequential Run()
        {
            var model = new Sequential(
                Layers.Input(8, 8, 1),
                Layers.Ensemble([[Layers.Conv2D(3, 3, Activation.Relu), Layers.MaxPooling2D(2), Layers.Flatten(), Layers.Dropout(0.2), Layers.Dense(4, Activation.Softmax)], [Layers.Flatten(), Layers.Dense(4, Activation.Softmax)]]))
            { Seed = 5 };
            model.Compile(new Adam(learningRate: 0.01), Losses.CategoricalCrossentropy, Metric.Accuracy);
            var (x, y) = SyntheticData.Quadrants(96);
            model.Fit(x, y, batchSize: 16, epochs: 4);
            return model;
        }

        var first = Run();
        var history = first.Evaluate(SyntheticData.Quadrants(96).X, SyntheticData.Quadrants(96).Y);

        Assert.True(history.Accuracy > 0.9, $"joint training reached {history.Accuracy:P0}");
        Assert.Equal(first.WeightsSha256(), Run().WeightsSha256());
    }

    [Fact]
    public void Members_that_disagree_are_refused_with_the_reason()
    {
        var wide = new Sequential(Layers.Input(8, 8, 1), Layers.Flatten(), Layers.Dense(5, Activation.Softmax));
        var otherInput = new Sequential(Layers.Input(9, 9, 1), Layers.Flatten(), Layers.Dense(4, Activation.Softmax));

        Assert.Equal("An ensemble has 2 to 64 members, not 1. (Parameter 'members')", Assert.Throws<ArgumentException>(() => Sequential.Ensemble([Trained(1)])).Message);
        Assert.StartsWith("member 1 gives outputs of (5) but member 0 gives (4)", Assert.Throws<ArgumentException>(() => Sequential.Ensemble([Trained(1), wide])).Message, StringComparison.Ordinal);
        Assert.StartsWith("Member 'sequential' takes inputs of (9, 9, 1) but 'sequential' takes (8, 8, 1)", Assert.Throws<ArgumentException>(() => Sequential.Ensemble([Trained(1), otherInput])).Message, StringComparison.Ordinal);
        Assert.StartsWith("Member 0 needs one or more layers, none of them null, an input layer or an ensemble", Assert.Throws<ArgumentException>(() => Layers.Ensemble([[Layers.Input(2)], [Layers.Dense(1)]])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_file_whose_ensemble_members_are_not_layers_is_refused_naming_the_layer()
    {
        var path = Path.Combine(_folder.Path, "bad.zip");
        ModelFile.Save(path, Sequential.Ensemble([Trained(1), Trained(2)]));

        ModelZip.EditManifest(path, manifest => ModelZip.LayerConfig(manifest, "ensemble")["members"] = new System.Text.Json.Nodes.JsonArray(1, 2));
        var error = Assert.Throws<ModelFormatException>(() => ModelFile.Load(path));

        Assert.Contains("layer 'ensemble' (Ensemble) has members that are not arrays of layers", error.Message, StringComparison.Ordinal);
    }

    private static Sequential Trained(long seed)
    {
        var model = SyntheticData.SmallCnn(seed, dropout: false);
        model.Compile(new Adam(learningRate: 0.01), Losses.CategoricalCrossentropy, Metric.Accuracy);
        var (x, y) = SyntheticData.Quadrants(64, seed: seed);
        model.Fit(x, y, batchSize: 16, epochs: 2);
        return model;
    }
}
