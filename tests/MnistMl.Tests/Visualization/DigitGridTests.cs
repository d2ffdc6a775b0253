using MnistMl.Data;
using MnistMl.Visualization;

namespace MnistMl.Tests.Visualization;

public class DigitGridTests
{
    // Images of 4 rows × 5 columns at scale 2: a cell is 4 + 10 + 4 = 18 wide and 4 + 8 + 4 + 20 = 36 high.
    private const int CellWidth = 18;
    private const int CellHeight = 36;
    private const int Margin = 4;
    private static readonly RgbColor Black = new(0, 0, 0);

    [Fact]
    public void Default_grid_of_28_by_28_digits_is_7_by_7_cells_of_92_by_112_pixels()
    {
        var image = DigitGrid.Render(SyntheticMnist.Create(60, rows: 28, columns: 28));

        Assert.Equal((7 * 92, 7 * 112), (image.Width, image.Height));
    }

    [Fact]
    public void Each_digit_lands_in_its_cell_row_by_row_enlarged_and_framed()
    {
        var image = DigitGrid.Render(OneInkPixelEach(6), rows: 2, columns: 3, scale: 2);

        Assert.Equal((3 * CellWidth, 2 * CellHeight), (image.Width, image.Height));
        for (var i = 0; i < 6; i++)
        {
            var (left, top) = DigitOrigin(i);
            Assert.NotEqual(RgbColor.White, image.GetPixel(left - 1, top - 1)); // the frame
            for (var row = 0; row < 4; row++)
            {
                for (var column = 0; column < 5; column++)
                {
                    var expected = (row, column) == InkAt(i) ? Black : RgbColor.White;
                    Assert.Equal(expected, image.GetPixel(left + (2 * column), top + (2 * row)));
                    Assert.Equal(expected, image.GetPixel(left + (2 * column) + 1, top + (2 * row) + 1));
                }
            }
        }
    }

    [Fact]
    public void Each_cell_is_captioned_with_its_label_under_the_digit()
    {
        var data = OneInkPixelEach(6);
        var image = DigitGrid.Render(data, rows: 2, columns: 3, scale: 2);

        for (var i = 0; i < 6; i++)
        {
            var label = data.Labels.Span[i];
            var glyph = new RgbImage(10, 14);
            BitmapFont.Draw(glyph, $"{label}", 0, 0, 2, Black);
            var (left, top) = DigitOrigin(i);
            var captionTop = top + 8 + Margin;
            var inked = 0;
            for (var y = 0; y < 14; y++)
            {
                for (var x = 0; x < 10; x++)
                {
                    var drawn = image.GetPixel(left + x, captionTop + y) != RgbColor.White;
                    Assert.Equal(glyph.GetPixel(x, y) != RgbColor.White, drawn);
                    inked += drawn ? 1 : 0;
                }
            }

            Assert.True(inked > 20, $"caption {i} has {inked} inked pixels");
        }
    }

    [Fact]
    public void Grid_starts_at_the_given_image_and_leaves_cells_past_the_last_image_blank()
    {
        var image = DigitGrid.Render(OneInkPixelEach(6), rows: 2, columns: 3, start: 4, scale: 2);

        var (left, top) = DigitOrigin(0);
        var (row, column) = InkAt(4);
        Assert.Equal(Black, image.GetPixel(left + (2 * column), top + (2 * row)));
        for (var y = CellHeight; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                Assert.Equal(RgbColor.White, image.GetPixel(x, y));
            }
        }

        Assert.NotEqual(RgbColor.White, image.GetPixel(CellWidth + Margin - 1, Margin - 1)); // image 5's frame
        Assert.Equal(RgbColor.White, image.GetPixel((2 * CellWidth) + Margin - 1, Margin - 1)); // no image 6
    }

    [Theory]
    [InlineData(0, 7, 0, 3)]
    [InlineData(7, 101, 0, 3)]
    [InlineData(7, 7, -1, 3)]
    [InlineData(7, 7, 6, 3)]
    [InlineData(7, 7, 0, 0)]
    [InlineData(7, 7, 0, 9)]
    public void Render_rejects_arguments_out_of_range(int rows, int columns, int start, int scale) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => DigitGrid.Render(OneInkPixelEach(6), rows, columns, start, scale));

    /// <summary>Images of 4 × 5 pixels, image i with one pixel of full ink at <see cref="InkAt"/>(i); label i.</summary>
    private static MnistDataset OneInkPixelEach(int count)
    {
        var images = new byte[count * 20];
        for (var i = 0; i < count; i++)
        {
            var (row, column) = InkAt(i);
            images[(i * 20) + (row * 5) + column] = 255;
        }

        return new MnistDataset(images, [.. Enumerable.Range(0, count).Select(i => (byte)i)], rows: 4, columns: 5);
    }

    private static (int Row, int Column) InkAt(int image) => (image % 4, (image + 1) % 5);

    private static (int Left, int Top) DigitOrigin(int cell) =>
        (((cell % 3) * CellWidth) + Margin, ((cell / 3) * CellHeight) + Margin);
}
