using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using MnistMl.Data;
using MnistMl.Tests.Data;
using MnistMl.Tests.Trainers;
using MnistMl.Trainers;
using MnistMl.Transforms;

namespace MnistMl.Tests.Transforms;

public sealed class PixelTransformsCatalogTests(KerasCnnTrainerTests.Fitted fitted) : IClassFixture<KerasCnnTrainerTests.Fitted>
{
    private static readonly MnistDataset Images = MnistTestData.Slice(MnistTestData.Test, 0, 300);

    [Fact]
    public void ScalePixels_gives_x_over_255_to_the_bit_as_a_flat_single_vector()
    {
        var ml = new MLContext(seed: 0);
        var view = ml.Data.LoadMnist(Images);

        var scaled = ml.Transforms.ScalePixels("Features", "Image").Fit(view).Transform(view);

        Assert.Equal(new Microsoft.ML.Data.VectorDataViewType(Microsoft.ML.Data.NumberDataViewType.Single, 784), scaled.Schema["Features"].Type);
        var rows = ml.Data.CreateEnumerable<Scaled>(scaled, reuseRowObject: false).ToList();
        var expected = new float[784];
        for (var i = 0; i < rows.Count; i++)
        {
            PixelScaling.UnitRange.Apply(Images.GetImage(i), expected);
            Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), rows[i].Features.Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public void StandardizePixels_measures_the_pixels_and_scales_to_mean_0_and_deviation_1()
    {
        var ml = new MLContext(seed: 0);
        var view = ml.Data.LoadMnist(Images);

        var scaled = ml.Transforms.StandardizePixels("Features", "Image").Fit(view).Transform(view);

        var values = ml.Data.CreateEnumerable<Scaled>(scaled, reuseRowObject: false).SelectMany(r => r.Features).Select(v => (double)v).ToArray();
        var mean = values.Average();
        Assert.InRange(mean, -1e-4, 1e-4);
        Assert.InRange(Math.Sqrt(values.Select(v => (v - mean) * (v - mean)).Average()), 1 - 1e-4, 1 + 1e-4);
    }

    [Theory]
    [InlineData(255f, "255f")]
    [InlineData(33.31842f, "3331842e-5f")]
    [InlineData(-2.5f, "-25e-1f")]
    [InlineData(1e-7f, "1e-7f")]
    [InlineData(1.5e20f, "15e19f")]
    public void Expression_literals_have_no_decimal_point_and_round_trip(float value, string literal)
    {
        Assert.Equal(literal, PixelTransformsCatalog.Literal(value));
        Assert.Equal(value, float.Parse(literal.TrimEnd('f'), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void StandardizePixels_works_where_the_decimal_separator_is_a_comma()
    {
        var comma = (System.Globalization.CultureInfo)System.Globalization.CultureInfo.InvariantCulture.Clone();
        comma.NumberFormat.NumberDecimalSeparator = ",";
        var ml = new MLContext(seed: 0);
        var view = ml.Data.LoadMnist(Images);
        var invariant = ml.Data.CreateEnumerable<Scaled>(ml.Transforms.StandardizePixels("Features", "Image").Fit(view).Transform(view), reuseRowObject: false).First().Features;
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        float[] withComma;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = comma;
            withComma = ml.Data.CreateEnumerable<Scaled>(ml.Transforms.StandardizePixels("Features", "Image").Fit(view).Transform(view), reuseRowObject: false).First().Features;
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = previous;
        }

        Assert.Equal(invariant, withComma);
    }

    [Fact]
    public void StandardizePixels_refuses_pixels_that_are_all_equal()
    {
        var ml = new MLContext(seed: 0);
        var blank = new MnistDataset(new byte[2 * 784], [1, 2], 28, 28);

        var error = Assert.Throws<DataValueException>(() => ml.Transforms.StandardizePixels("Features", "Image").Fit(ml.Data.LoadMnist(blank)));

        Assert.Equal("Image", error.ColumnName);
        Assert.Contains("standard deviation of 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Trainer_on_scaled_pixels_learns_the_same_weights_as_on_grey_levels_and_the_pipeline_saves_and_reloads()
    {
        var ml = new MLContext(seed: 0);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Append(ml.Transforms.ScalePixels("Features", "Image"))
            .Append(ml.MulticlassClassification.Trainers.KerasCnn(new KerasCnnTrainer.Options { Preset = "dnn", Epochs = 1, Seed = KerasCnnTrainerTests.Fitted.Seed, FeatureColumnName = "Features" }));

        var trained = pipeline.Fit(ml.Data.LoadMnist(KerasCnnTrainerTests.Fitted.TrainData));

        var ours = trained.LastTransformer.Model.WeightTable();
        var reference = fitted.Trainer.Model.WeightTable();
        for (var i = 0; i < ours.Count; i++)
        {
            Assert.Equal(reference[i].Values, ours[i].Values);
        }

        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "scaled.zip");
        ml.Model.Save(trained, ml.Data.LoadMnist(Images).Schema, path);
        var loaded = ml.Model.Load(path, out _);
        var test = ml.Data.LoadMnist(Images);
        var before = ml.Data.CreateEnumerable<Scored>(trained.Transform(test), reuseRowObject: false).ToList();
        var after = ml.Data.CreateEnumerable<Scored>(loaded.Transform(test), reuseRowObject: false).ToList();
        (loaded as IDisposable)?.Dispose();
        for (var i = 0; i < before.Count; i++)
        {
            Assert.All(before[i].Score.Zip(after[i].Score), p => Assert.InRange(Math.Abs(p.First - p.Second), 0, 1e-5));
        }
    }

    [Fact]
    public void PredictionEngine_takes_a_plain_class_of_shaped_float_grey_levels()
    {
        var ml = new MLContext(seed: 0);
        var rows = Enumerable.Range(0, 600).Select(i => new ShapedDigit
        {
            Label = KerasCnnTrainerTests.Fitted.TrainData.Labels.Span[i],
            Image = [.. KerasCnnTrainerTests.Fitted.TrainData.GetImage(i).ToArray().Select(b => (float)b)],
        }).ToArray();
        var model = ml.Transforms.ScalePixels("Features", "Image")
            .Append(ml.MulticlassClassification.Trainers.KerasCnn(new KerasCnnTrainer.Options { Preset = "dnn", Epochs = 1, FeatureColumnName = "Features" }))
            .Fit(ml.Data.LoadFromEnumerable(rows));
        var engine = ml.Model.CreatePredictionEngine<ShapedDigit, Scored>(model);

        var prediction = engine.Predict(rows[0]);

        var scaled = new float[784];
        PixelScaling.UnitRange.Apply(KerasCnnTrainerTests.Fitted.TrainData.GetImage(0), scaled);
        Assert.Equal(model.LastTransformer.Model.Predict(MnistMl.Nn.Tensor.FromArray(scaled, 1, 28, 28, 1)).Data, prediction.Score);
    }

    [Fact]
    public void Trainer_takes_one_hot_labels_as_ML_NET_encodes_them_and_learns_the_same_weights()
    {
        var ml = new MLContext(seed: 0);
        var pipeline = ml.Transforms.Categorical.OneHotEncoding("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Append(ml.MulticlassClassification.Trainers.KerasCnn(new KerasCnnTrainer.Options { Preset = "dnn", Epochs = 1, Seed = KerasCnnTrainerTests.Fitted.Seed }));

        var trained = pipeline.Fit(ml.Data.LoadMnist(KerasCnnTrainerTests.Fitted.TrainData));

        var ours = trained.LastTransformer.Model.WeightTable();
        var reference = fitted.Trainer.Model.WeightTable();
        for (var i = 0; i < ours.Count; i++)
        {
            Assert.Equal(reference[i].Values, ours[i].Values);
        }
    }

    private sealed class Scaled
    {
        [VectorType(784)]
        public float[] Features { get; set; } = [];
    }

    private sealed class ShapedDigit
    {
        public float Label { get; set; }

        [VectorType(28, 28, 1)]
        public float[] Image { get; set; } = [];
    }

    private sealed class Scored
    {
        public float[] Score { get; set; } = [];
    }
}
