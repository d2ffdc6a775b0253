namespace MnistMl.Visualization;

/// <summary>
/// A 5 × 7 pixel font of the digits 0–9, for captions drawn into rasters. Each glyph is seven rows
/// of five cells ('#' is ink); characters are one blank column apart.
/// </summary>
internal static class BitmapFont
{
    public const int GlyphWidth = 5;
    public const int GlyphHeight = 7;

    private static readonly string[][] Digits =
    [
        [".###.", "#...#", "#..##", "#.#.#", "##..#", "#...#", ".###."],
        ["..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###."],
        [".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####"],
        ["#####", "...#.", "..#..", "...#.", "....#", "#...#", ".###."],
        ["...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#."],
        ["#####", "#....", "####.", "....#", "....#", "#...#", ".###."],
        ["..##.", ".#...", "#....", "####.", "#...#", "#...#", ".###."],
        ["#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#..."],
        [".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###."],
        [".###.", "#...#", "#...#", ".####", "....#", "...#.", ".##.."],
    ];

    /// <summary>Width in pixels of <paramref name="text"/> drawn at <paramref name="scale"/>.</summary>
    public static int MeasureWidth(string text, int scale) =>
        text.Length == 0 ? 0 : ((text.Length * (GlyphWidth + 1)) - 1) * scale;

    /// <summary>Draws <paramref name="text"/> with its top-left corner at (x, y), each font cell a <paramref name="scale"/>-pixel square.</summary>
    /// <exception cref="ArgumentException">The text has a character the font lacks (it has the digits only).</exception>
    public static void Draw(RgbImage image, string text, int x, int y, int scale, RgbColor color)
    {
        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                throw new ArgumentException($"The caption font has the digits 0–9 only, not '{c}'.", nameof(text));
            }

            var glyph = Digits[c - '0'];
            for (var row = 0; row < GlyphHeight; row++)
            {
                for (var column = 0; column < GlyphWidth; column++)
                {
                    if (glyph[row][column] == '#')
                    {
                        image.FillRectangle(x + (column * scale), y + (row * scale), scale, scale, color);
                    }
                }
            }

            x += (GlyphWidth + 1) * scale;
        }
    }
}
