using System.Globalization;
using MnistMl.Data;

namespace MnistMl.Visualization;

/// <summary>
/// The notebooks' first look at the data: a grid of sample digits, each drawn dark on white,
/// enlarged, framed, with its label written under it.
/// </summary>
/// <example>
/// <code>
/// var train = MnistDataset.Load(MnistSplit.Train);
/// RgbImage grid = DigitGrid.Render(train);        // the first 49 digits, 7 × 7, each 3× enlarged
/// File.WriteAllText("grid.svg", grid.ToSvg("first 49 training digits"));
/// </code>
/// </example>
public static class DigitGrid
{
    /// <summary>Largest number of rows or columns of a grid.</summary>
    public const int MaxCells = 100;

    /// <summary>Pixels between a cell's edge and its digit.</summary>
    internal const int Padding = 4;

    /// <summary>Size of a caption font cell in pixels: digits are 10 × 14.</summary>
    internal const int CaptionScale = 2;

    /// <summary>Height of the strip under each digit that holds its label.</summary>
    internal const int CaptionHeight = (BitmapFont.GlyphHeight * CaptionScale) + 6;

    private static readonly RgbColor FrameColor = new(208, 208, 208);
    private static readonly RgbColor CaptionColor = new(32, 32, 32);

    /// <summary>
    /// Draws images <paramref name="start"/>, <paramref name="start"/> + 1, … of
    /// <paramref name="data"/> row by row into a <paramref name="rows"/> × <paramref name="columns"/>
    /// grid. A cell is the digit enlarged <paramref name="scale"/> times with 4 pixels of margin,
    /// over a 20-pixel strip with the label; with 28 × 28 digits at scale 3 a cell is 92 × 112
    /// pixels. Cells past the last image stay blank.
    /// </summary>
    /// <param name="data">The images and labels.</param>
    /// <param name="rows">Rows of the grid, 1–100.</param>
    /// <param name="columns">Columns of the grid, 1–100.</param>
    /// <param name="start">Index of the first image shown.</param>
    /// <param name="scale">Enlargement of each digit, 1–8.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range, or <paramref name="start"/> is not an image index.</exception>
    public static RgbImage Render(MnistDataset data, int rows = 7, int columns = 7, int start = 0, int scale = 3)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rows, MaxCells);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(columns, MaxCells);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(start, data.Count);
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(scale, 8);

        var digitWidth = data.Columns * scale;
        var digitHeight = data.Rows * scale;
        var cellWidth = digitWidth + (2 * Padding);
        var cellHeight = digitHeight + (2 * Padding) + CaptionHeight;
        var image = new RgbImage(columns * cellWidth, rows * cellHeight);
        var shown = Math.Min(rows * columns, data.Count - start);
        for (var cell = 0; cell < shown; cell++)
        {
            var x = ((cell % columns) * cellWidth) + Padding;
            var y = ((cell / columns) * cellHeight) + Padding;
            image.FillRectangle(x - 1, y - 1, digitWidth + 2, digitHeight + 2, FrameColor);
            image.DrawInk(data.GetImage(start + cell), data.Columns, data.Rows, x, y, scale);

            var label = data.Labels.Span[start + cell].ToString(CultureInfo.InvariantCulture);
            var captionX = x + ((digitWidth - BitmapFont.MeasureWidth(label, CaptionScale)) / 2);
            BitmapFont.Draw(image, label, captionX, y + digitHeight + Padding, CaptionScale, CaptionColor);
        }

        return image;
    }
}
