using MnistMl.Data;
using MnistMl.Nn;
using MnistMl.Tests.Data;
using MnistMl.Training;
using MnistMl.Transforms;

namespace MnistMl.Tests.Training;

public class PipelineTests
{
    [Fact]
    public void Pipeline_fits_on_mnist_and_scores_views_with_probabilities_and_predicted_labels()
    {
        var ml = new MnistContext(seed: 1);
        var train = ml.Data.LoadMnist(MnistTestData.Slice(MnistTestData.Train, 0, 12000));
        var test = ml.Data.LoadMnist(MnistTestData.Slice(MnistTestData.Test, 0, 1000));
        var pipeline = ml.Transforms.ScalePixels()
            .Append(ml.Transforms.Reshape(28, 28, 1))
            .Append(ml.Trainers.Cnn(o =>
            {
                o.Preset = "dnn";
                o.Epochs = 2;
            }));

        var trained = pipeline.Fit(train);
        var scored = trained.Transform(test);

        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 10), scored.Schema["Score"].Type);
        Assert.Equal(NumberDataViewType.Int32, scored.Schema["PredictedLabel"].Type);
        var rows = ml.Data.CreateEnumerable<ScoredRow>(scored).ToList();
        Assert.Equal(1000, rows.Count);
        Assert.All(rows, r => Assert.Equal(1.0, r.Score.Sum(), 4));
        Assert.All(rows, r => Assert.Equal(Array.IndexOf(r.Score, r.Score.Max()), r.PredictedLabel));
        var accuracy = rows.Count(r => r.PredictedLabel == r.Label) / 1000.0;
        Assert.True(accuracy >= 0.85, $"accuracy {accuracy}");
        Assert.Equal(2, trained.LastTransformer!.History!.Epochs.Count);
    }

    [Fact]
    public void Scores_of_a_view_match_the_models_own_predictions()
    {
        var ml = new MnistContext(seed: 2);
        var data = ml.Data.LoadMnist(MnistTestData.Slice(MnistTestData.Test, 0, 600));
        var trained = FitOneEpoch(ml, data, "mlp");

        var viaView = ml.Data.CreateEnumerable<ScoredRow>(trained.Transform(data)).SelectMany(r => r.Score).ToArray();
        var images = new Tensor(600, 28, 28, 1);
        var pixels = MnistTestData.Test.Images.Span[..(600 * 784)];
        for (var i = 0; i < images.Length; i++)
        {
            images.Data[i] = pixels[i] / 255f;
        }

        Assert.Equal(trained.LastTransformer!.Model.Predict(images).Data, viaView);
    }

    [Fact]
    public void Prediction_engine_gives_the_scores_of_the_transformed_view()
    {
        var ml = new MnistContext(seed: 3);
        var data = ml.Data.LoadMnist(MnistTestData.Slice(MnistTestData.Test, 0, 300));
        var trained = FitOneEpoch(ml, data, "dnn");
        var expected = ml.Data.CreateEnumerable<ScoredRow>(trained.Transform(data)).ToList();
        var engine = new PredictionEngine<ImageRow, PredictionRow>(trained);
        for (var i = 0; i < 20; i++)
        {
            var prediction = engine.Predict(new ImageRow { Image = MnistTestData.Test.GetImage(i).ToArray() });
            Assert.Equal(expected[i].Score, prediction.Score);
            Assert.Equal(expected[i].PredictedLabel, prediction.PredictedLabel);
        }
    }

    [Fact]
    public void Prediction_engine_allocates_only_the_result_once_warm()
    {
        var ml = new MnistContext(seed: 4);
        var data = ml.Data.LoadMnist(MnistTestData.Slice(MnistTestData.Test, 0, 200));
        var trained = FitOneEpoch(ml, data, "dnn");
        var engine = new PredictionEngine<ImageRow, DigitOnly>(trained);
        var example = new ImageRow { Image = MnistTestData.Test.GetImage(0).ToArray() };
        engine.Predict(example);
        engine.Predict(example);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            engine.Predict(example);
        }

        var perCall = (GC.GetAllocatedBytesForCurrentThread() - before) / 100.0;

        // The one allocation ML.NET's contract allows: the result object itself.
        var results = new DigitOnly[100];
        before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < results.Length; i++)
        {
            results[i] = new DigitOnly();
        }

        var resultSize = (GC.GetAllocatedBytesForCurrentThread() - before) / 100.0;
        Assert.Equal(resultSize, perCall);
    }

    [Fact]
    public void Trainer_rejects_a_feature_column_of_the_wrong_size_naming_it()
    {
        var ml = new MnistContext(seed: 5);
        var data = ml.Data.LoadFromEnumerable(new[] { new SmallRow { Image = new float[4], Label = 1 } });
        var error = Assert.Throws<ArgumentException>(() => ml.Trainers.Cnn().Fit(data));
        Assert.Contains("(2, 2)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Model_catalog_saves_a_pipeline_without_its_label_transforms_and_loads_it_for_prediction()
    {
        var ml = new MnistContext(seed: 6);
        var data = ml.Data.LoadMnist(MnistTestData.Slice(MnistTestData.Test, 0, 500));
        var trained = ml.Transforms.ScalePixels()
            .Append(ml.Transforms.Reshape(28, 28, 1))
            .Append(ml.Transforms.OneHot("Label"))
            .Append(ml.Trainers.Cnn(o =>
            {
                o.Preset = "dnn";
                o.Epochs = 1;
            }))
            .Fit(data);
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "pipeline.zip");
        ml.Model.Save(trained, data.Schema, path);

        var loaded = ml.Model.Load(path, out var schema);
        Assert.Null(schema.GetColumnOrNull("Label"));
        var engine = ml.Model.CreatePredictionEngine<ImageRow, PredictionRow>(loaded);
        var original = ml.Model.CreatePredictionEngine<ImageRow, PredictionRow>(MnistModel.FromPipeline(trained, data.Schema).Pipeline);
        var example = new ImageRow { Image = MnistTestData.Test.GetImage(3).ToArray() };
        Assert.Equal(original.Predict(example).Score, engine.Predict(example).Score);
    }

    /// <summary>Scales the pixels and trains a preset for one epoch: the pipeline most tests here need.</summary>
    private static TransformerChain<MulticlassPredictionTransformer> FitOneEpoch(MnistContext ml, IDataView data, string preset) =>
        ml.Transforms.ScalePixels().Append(ml.Trainers.Cnn(o =>
        {
            o.Preset = preset;
            o.Epochs = 1;
        })).Fit(data);

    public sealed class ScoredRow
    {
        public byte Label { get; set; }

        public float[] Score { get; set; } = [];

        public int PredictedLabel { get; set; }
    }

    public sealed class PredictionRow
    {
        public float[] Score { get; set; } = [];

        public int PredictedLabel { get; set; }
    }

    public sealed class ImageRow
    {
        [VectorShape(28, 28)]
        public byte[] Image { get; set; } = [];
    }

    public sealed class DigitOnly
    {
        [ColumnName("PredictedLabel")]
        public int Digit { get; set; }
    }

    public sealed class SmallRow
    {
        [VectorShape(2, 2)]
        public float[] Image { get; set; } = [];

        public int Label { get; set; }
    }
}
