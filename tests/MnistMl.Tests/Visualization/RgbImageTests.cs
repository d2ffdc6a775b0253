using MnistMl.Tests.Data;
using MnistMl.Visualization;

namespace MnistMl.Tests.Visualization;

public class RgbImageTests
{
    private static readonly RgbColor Red = new(255, 0, 0);

    [Fact]
    public void New_image_is_the_background_colour_everywhere()
    {
        var image = new RgbImage(3, 2, Red);

        Assert.Equal(3 * 2 * 3, image.Pixels.Length);
        Assert.Equal([255, 0, 0, 255, 0, 0, 255, 0, 0, 255, 0, 0, 255, 0, 0, 255, 0, 0], image.Pixels.ToArray());
    }

    [Fact]
    public void Pixels_are_row_major_rgb_triples()
    {
        var image = new RgbImage(4, 3);
        image.SetPixel(2, 1, new RgbColor(10, 20, 30));

        Assert.Equal([10, 20, 30], image.Pixels.Slice(3 * ((1 * 4) + 2), 3).ToArray());
        Assert.Equal(new RgbColor(10, 20, 30), image.GetPixel(2, 1));
    }

    [Fact]
    public void FillRectangle_paints_only_the_part_inside_the_picture()
    {
        var image = new RgbImage(4, 4);
        image.FillRectangle(-2, 2, 4, 10, Red);

        for (var y = 0; y < 4; y++)
        {
            for (var x = 0; x < 4; x++)
            {
                Assert.Equal(x < 2 && y >= 2 ? Red : RgbColor.White, image.GetPixel(x, y));
            }
        }
    }

    [Fact]
    public void DrawInk_draws_each_grey_level_as_a_scaled_square_dark_on_white()
    {
        var image = new RgbImage(7, 5);
        image.DrawInk([0, 255, 100, 30, 200, 0], inkWidth: 3, inkHeight: 2, x: 1, y: 1, scale: 2);

        Assert.Equal(RgbColor.White, image.GetPixel(0, 0));
        Assert.Equal(RgbColor.White, image.GetPixel(1, 1));           // ink 0 is paper
        Assert.Equal(new RgbColor(0, 0, 0), image.GetPixel(3, 2));     // ink 255 is black, 2 × 2
        Assert.Equal(new RgbColor(155, 155, 155), image.GetPixel(6, 1));
        Assert.Equal(new RgbColor(225, 225, 225), image.GetPixel(2, 4));
        Assert.Equal(new RgbColor(55, 55, 55), image.GetPixel(4, 3));
    }

    [Fact]
    public void Constructor_rejects_an_empty_side()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RgbImage(0, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RgbImage(5, -1));
    }

    [Fact]
    public void ToSvg_is_well_formed_and_repaints_exactly_the_same_pixels()
    {
        var image = new RgbImage(29, 17);
        var random = new Random(5);
        for (var i = 0; i < 60; i++)
        {
            image.FillRectangle(random.Next(29), random.Next(17), random.Next(1, 6), random.Next(1, 6), new RgbColor((byte)random.Next(3), 0, (byte)random.Next(2)));
        }

        var svg = image.ToSvg("a <test> & picture", zoom: 3);

        var root = SvgDocument.Parse(svg);
        Assert.Equal("87", root.Attribute("width")!.Value);
        Assert.Equal("0 0 29 17", root.Attribute("viewBox")!.Value);
        Assert.Equal("a <test> & picture", root.Attribute("aria-label")!.Value);
        Assert.Equal(image.Pixels.ToArray(), SvgDocument.Repaint(svg).Pixels.ToArray());
    }

    [Fact]
    public void ToSvg_merges_a_scaled_pixel_into_one_rectangle()
    {
        var image = new RgbImage(10, 10);
        image.DrawInk([255], 1, 1, 3, 4, scale: 3);

        var path = Assert.Single(SvgDocument.Parse(image.ToSvg()).Elements(SvgDocument.Svg + "path"));
        Assert.Equal("M3 4h3v3h-3z", path.Attribute("d")!.Value);
        Assert.Equal("#000000", path.Attribute("fill")!.Value);
    }

    [Fact]
    public void SavePng_writes_the_pixels_through_the_encoder_under_the_final_name_only()
    {
        using var folder = new TempFolder();
        var image = new RgbImage(5, 3);
        image.SetPixel(4, 2, Red);
        var path = Path.Combine(folder.Path, "picture.png");

        image.SavePng(path, MnistMl.Imaging.PngRgbWriter.Instance);

        var (width, height, rgb) = TestPng.Read(File.ReadAllBytes(path));
        Assert.Equal((5, 3), (width, height));
        Assert.Equal(image.Pixels.ToArray(), rgb);
        Assert.Equal(["picture.png"], folder.FileNames());
    }

    [Fact]
    public void SaveSvg_writes_the_svg_under_the_final_name_only()
    {
        using var folder = new TempFolder();
        var image = new RgbImage(2, 2, Red);
        var path = Path.Combine(folder.Path, "picture.svg");

        image.SaveSvg(path, "red");

        Assert.Equal(image.ToSvg("red"), File.ReadAllText(path));
        Assert.Equal(["picture.svg"], folder.FileNames());
    }
}
