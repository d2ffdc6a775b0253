using MnistMl.Transforms;

namespace MnistMl.Tests.Transforms;

public sealed class PixelScalingTests
{
    [Fact]
    public void UnitRange_divides_by_255_to_the_bit_as_the_notebooks_do()
    {
        var bytes = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var scaled = new float[256];

        PixelScaling.UnitRange.Apply(bytes, scaled);

        Assert.Equal(bytes.Select(b => b / 255f), scaled);
    }

    [Fact]
    public void Standardising_subtracts_then_divides()
    {
        var scaled = new float[3];

        new PixelScaling(33.3f, 78.5f).Apply([0, 100, 255], scaled);

        Assert.Equal([(0f - 33.3f) / 78.5f, (100f - 33.3f) / 78.5f, (255f - 33.3f) / 78.5f], scaled);
    }

    [Theory]
    [InlineData(float.NaN, 255f)]
    [InlineData(0f, 0f)]
    [InlineData(0f, -1f)]
    [InlineData(0f, float.PositiveInfinity)]
    [InlineData(0f, 1e-45f)]
    public void Offsets_that_are_not_finite_and_divisors_below_the_minimum_are_refused(float offset, float divisor) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new PixelScaling(offset, divisor));

    [Fact]
    public void Reads_as_the_formula_it_applies()
    {
        Assert.Equal("x / 255", PixelScaling.UnitRange.ToString());
        Assert.Equal("(x - 33.5) / 78.5", new PixelScaling(33.5f, 78.5f).ToString());
    }
}
