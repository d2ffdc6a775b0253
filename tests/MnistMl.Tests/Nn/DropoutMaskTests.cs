using MnistMl.Nn.Kernels;

namespace MnistMl.Tests.Nn;

public class DropoutMaskTests
{
    [Theory]
    [InlineData(1, 0.5)]
    [InlineData(3, 0.5)]
    [InlineData(16, 0.25)]
    [InlineData(17, 0.5)]
    [InlineData(127, 0.1)]
    [InlineData(1600, 0.5)]
    [InlineData(1601, 0.9)]
    public void Vectorised_mask_equals_the_element_by_element_reference(int length, double rate)
    {
        var threshold = (uint)(rate * 4294967296.0);
        var scale = (float)(1 / (1 - rate));
        foreach (var (key, firstWord) in new[] { (0UL, 0UL), (12345UL, 801UL), (ulong.MaxValue, 1UL << 40) })
        {
            var fast = new float[length];
            var reference = new float[length];
            DropoutMask.Fill<float>(fast, key, firstWord, threshold, scale);
            DropoutMask.FillReference<float>(reference, key, firstWord, threshold, scale);
            Assert.Equal(reference, fast);
        }
    }

    [Fact]
    public void About_the_rate_of_elements_is_dropped_and_the_rest_scaled()
    {
        var mask = new float[100_000];
        DropoutMask.Fill<float>(mask, 7, 0, (uint)(0.3 * 4294967296.0), 1 / 0.7f);
        var dropped = mask.Count(v => v == 0);
        Assert.InRange(dropped, 29_000, 31_000);
        Assert.All(mask, v => Assert.True(v == 0 || v == 1 / 0.7f));
    }
}
