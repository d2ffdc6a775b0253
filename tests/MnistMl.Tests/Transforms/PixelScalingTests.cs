using MnistMl.Data;
using MnistMl.Transforms;

namespace MnistMl.Tests.Transforms;

public class PixelScalingTests
{
    private readonly MnistContext _ml = new();

    [Fact]
    public void ScalePixels_divides_bytes_by_255_into_a_single_vector_of_the_same_shape()
    {
        var dataset = SyntheticMnist.Create(4);
        var view = _ml.Data.LoadMnist(dataset);

        var scaled = _ml.Transforms.ScalePixels().Fit(view).Transform(view);

        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 3, 2), scaled.Schema["Image"].Type);
        Assert.Equal(
            Enumerable.Range(0, 4).Select(i => dataset.GetImage(i).ToArray().Select(b => b / 255f).ToArray()),
            SyntheticMnist.ReadVectors<float>(scaled, "Image"));
    }

    [Fact]
    public void ScalePixels_can_write_a_new_column_and_keep_the_input()
    {
        var view = _ml.Data.LoadMnist(SyntheticMnist.Create(2));

        var scaled = _ml.Transforms.ScalePixels("Features", "Image").Fit(view).Transform(view);

        Assert.Equal("Label: Byte, Image: Vector<Byte, 3, 2>, Features: Vector<Single, 3, 2>", scaled.Schema.ToString());
    }

    [Fact]
    public void Standardize_fit_measures_the_mean_and_population_std_of_all_pixels()
    {
        var dataset = SyntheticMnist.Create(7);
        var view = _ml.Data.LoadMnist(dataset);
        var pixels = dataset.Images.ToArray().Select(b => (double)b).ToArray();
        var mean = pixels.Average();
        var std = Math.Sqrt(pixels.Select(p => (p - mean) * (p - mean)).Average());

        var transformer = _ml.Transforms.ScalePixels(new PixelScalingEstimator.Options { Standardize = true }).Fit(view);

        Assert.Equal(mean, transformer.Offset, 4);
        Assert.Equal(std, transformer.Divisor, 4);
    }

    [Fact]
    public void Standardized_pixels_have_mean_zero_and_standard_deviation_one()
    {
        var view = _ml.Data.LoadMnist(SyntheticMnist.Create(9));

        var standardized = _ml.Transforms.ScalePixels(new PixelScalingEstimator.Options { Standardize = true }).Fit(view).Transform(view);

        var values = SyntheticMnist.ReadVectors<float>(standardized, "Image").SelectMany(v => v).Select(v => (double)v).ToArray();
        Assert.Equal(0, values.Average(), 5);
        Assert.Equal(1, Math.Sqrt(values.Select(v => v * v).Average()), 5);
    }

    [Fact]
    public void Standardize_rejects_pixels_that_are_all_equal()
    {
        var view = _ml.Data.LoadMnist(new MnistDataset(new byte[8], new byte[2], 2, 2));

        var error = Assert.Throws<DataValueException>(() => _ml.Transforms.ScalePixels(new PixelScalingEstimator.Options { Standardize = true }).Fit(view));

        Assert.Contains("standard deviation is 0", error.Message);
    }

    [Fact]
    public void ScalePixels_rejects_a_scalar_column_naming_the_expected_and_found_types()
    {
        var view = _ml.Data.LoadMnist(SyntheticMnist.Create(1));

        var error = Assert.Throws<SchemaMismatchException>(() => _ml.Transforms.ScalePixels("Label").Fit(view));

        Assert.Equal("Column 'Label' has type Byte, but pixel scaling needs a fixed-size vector of Byte or Single.", error.Message);
    }

    [Fact]
    public void Transform_rejects_a_view_without_the_input_column()
    {
        var transformer = _ml.Transforms.ScalePixels().Fit(_ml.Data.LoadMnist(SyntheticMnist.Create(1)));
        var other = _ml.Data.LoadFromEnumerable(new[] { new LabelOnly() });

        var error = Assert.Throws<SchemaMismatchException>(() => transformer.Transform(other));

        Assert.Equal("Image", error.ColumnName);
    }

    private sealed class LabelOnly
    {
        public byte Label { get; set; }
    }
}
