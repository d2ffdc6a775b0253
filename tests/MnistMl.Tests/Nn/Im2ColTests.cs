using MnistMl.Nn;
using MnistMl.Nn.Kernels;

namespace MnistMl.Tests.Nn;

public class Im2ColTests
{
    [Theory]
    [InlineData(28, 28, 1, 3, 3, 1, Padding.Valid)] // cnn's first layer: runs of 3 values
    [InlineData(13, 13, 32, 3, 3, 1, Padding.Valid)] // runs of 96: whole and overlapping vectors
    [InlineData(7, 6, 2, 3, 3, 1, Padding.Same)] // border windows mixed with interior ones
    [InlineData(9, 8, 3, 2, 3, 2, Padding.Same)]
    [InlineData(5, 5, 5, 3, 3, 1, Padding.Valid)] // runs of 15: one vector with room, element by element at the end
    [InlineData(4, 4, 1, 4, 4, 1, Padding.Valid)] // a single window
    public void Unfold_matches_the_definition_and_writes_nothing_past_its_block(int h, int w, int c, int kh, int kw, int stride, Padding padding)
    {
        var g = ConvGeometry.Create([h, w, c], kh, kw, stride, stride, padding);
        var random = new RandomSource(3);
        var input = Enumerable.Range(0, g.InputSize).Select(_ => random.NextSingle() + 1).ToArray();
        var size = g.OutputPixels * g.PatchSize;
        const float Guard = -7f;
        var buffer = Enumerable.Repeat(Guard, size + 40).ToArray();

        Im2Col.Unfold<float>(g, input, buffer.AsSpan(0, size));

        for (var oh = 0; oh < g.OutputHeight; oh++)
        {
            for (var ow = 0; ow < g.OutputWidth; ow++)
            {
                for (var y = 0; y < kh; y++)
                {
                    for (var x = 0; x < kw; x++)
                    {
                        for (var ch = 0; ch < c; ch++)
                        {
                            var ih = (oh * stride) - g.PadTop + y;
                            var iw = (ow * stride) - g.PadLeft + x;
                            var expected = ih < 0 || ih >= h || iw < 0 || iw >= w ? 0f : input[(((ih * w) + iw) * c) + ch];
                            var at = (((oh * g.OutputWidth) + ow) * g.PatchSize) + (((y * kw) + x) * c) + ch;
                            Assert.Equal(expected, buffer[at]);
                        }
                    }
                }
            }
        }

        Assert.All(buffer.Skip(size), v => Assert.Equal(Guard, v));
    }
}
