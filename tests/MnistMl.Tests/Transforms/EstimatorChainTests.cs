using MnistMl.Transforms;

namespace MnistMl.Tests.Transforms;

public class EstimatorChainTests
{
    private readonly MnistContext _ml = new();

    [Fact]
    public void Fitted_chain_applies_each_transform_in_order()
    {
        var view = _ml.Data.LoadMnist(SyntheticMnist.Create(3, rows: 3, columns: 2));
        var pipeline = _ml.Transforms.ScalePixels()
            .Append(_ml.Transforms.Reshape(3, 2, 1))
            .Append(_ml.Transforms.OneHot());

        var chain = pipeline.Fit(view);
        var output = chain.Transform(view);

        Assert.Equal("Label: Vector<Single, 10>, Image: Vector<Single, 3, 2, 1>", output.Schema.ToString());
        Assert.Equal(output.Schema.ToString(), chain.GetOutputSchema(view.Schema).ToString());
        Assert.Equal(10, chain.LastTransformer!.ClassCount);
        Assert.Equal(3, chain.Count());
    }

    [Fact]
    public void Each_estimator_is_fitted_on_the_output_of_the_ones_before()
    {
        var view = _ml.Data.LoadMnist(SyntheticMnist.Create(5));
        var standardize = new PixelScalingEstimator.Options { InputColumnName = "Scaled", Standardize = true };
        var pipeline = _ml.Transforms.ScalePixels("Scaled", "Image").Append(_ml.Transforms.ScalePixels(standardize));

        var fitted = pipeline.Fit(view).LastTransformer!;

        var direct = _ml.Transforms.ScalePixels(new PixelScalingEstimator.Options { Standardize = true }).Fit(view);
        Assert.Equal(direct.Offset / 255, fitted.Offset, 5);
        Assert.Equal(direct.Divisor / 255, fitted.Divisor, 5);
    }

    [Fact]
    public void Fit_and_Transform_read_no_rows_until_the_output_is_read()
    {
        var reads = 0;
        IEnumerable<LabelRow> Labels()
        {
            reads++;
            yield return new LabelRow { Label = 1 };
        }

        var view = _ml.Data.LoadFromEnumerable(Labels());
        var output = _ml.Transforms.OneHot().Append(_ml.Transforms.ScalePixels("Scaled", "Label")).Fit(view).Transform(view);
        Assert.Equal(0, reads);

        Assert.Equal([[0f, 1 / 255f, 0, 0, 0, 0, 0, 0, 0, 0]], SyntheticMnist.ReadVectors<float>(output, "Scaled"));
        Assert.Equal(1, reads);
    }

    private sealed class LabelRow
    {
        public int Label { get; set; }
    }
}
