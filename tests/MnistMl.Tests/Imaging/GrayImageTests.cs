using MnistMl.Imaging;

namespace MnistMl.Tests.Imaging;

public class GrayImageTests
{
    [Fact]
    public void Pixels_are_row_major_from_the_top_left()
    {
        var image = new GrayImage(3, 2, [1, 2, 3, 4, 5, 6]);

        Assert.Equal((3, 4), (image[2, 0], image[0, 1]));
        Assert.Equal("3 × 2 grey image", image.ToString());
    }

    [Fact]
    public void Sizes_must_be_positive_and_match_the_pixels()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new GrayImage(0, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GrayImage(-1, 5));
        Assert.Throws<ArgumentException>(() => new GrayImage(2, 2, new byte[5]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GrayImage(2, 2)[2, 0]);
    }
}
