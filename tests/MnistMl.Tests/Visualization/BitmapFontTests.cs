using MnistMl.Visualization;

namespace MnistMl.Tests.Visualization;

public class BitmapFontTests
{
    [Fact]
    public void Draw_paints_the_cells_of_each_digit_one_column_apart()
    {
        var image = new RgbImage(11, 7);
        BitmapFont.Draw(image, "17", 0, 0, 1, new RgbColor(0, 0, 0));

        string[] expected =
        [
            "..#...#####",
            ".##.......#",
            "..#......#.",
            "..#.....#..",
            "..#....#...",
            "..#....#...",
            ".###...#...",
        ];
        Assert.Equal(expected, Rows(image));
        Assert.Equal(11, BitmapFont.MeasureWidth("17", 1));
    }

    [Fact]
    public void Draw_scales_every_cell_to_a_square()
    {
        var image = new RgbImage(10, 14);
        BitmapFont.Draw(image, "8", 0, 0, 2, new RgbColor(0, 0, 0));

        Assert.Equal("..######..", Rows(image)[0]);
        Assert.Equal("..######..", Rows(image)[1]);
        Assert.Equal("##......##", Rows(image)[2]);
        Assert.Equal(22, BitmapFont.MeasureWidth("88", 2));
    }

    [Fact]
    public void Draw_rejects_a_character_the_font_lacks()
    {
        var error = Assert.Throws<ArgumentException>(() => BitmapFont.Draw(new RgbImage(10, 10), "4a", 0, 0, 1, new RgbColor(0, 0, 0)));
        Assert.Contains("'a'", error.Message, StringComparison.Ordinal);
    }

    private static string[] Rows(RgbImage image) =>
        [.. Enumerable.Range(0, image.Height).Select(y => string.Concat(Enumerable.Range(0, image.Width).Select(x => image.GetPixel(x, y) == RgbColor.White ? '.' : '#')))];
}
