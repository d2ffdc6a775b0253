using MnistMl.Persistence;

namespace MnistMl.Visualization;

/// <summary>
/// A picture of <see cref="Width"/> × <see cref="Height"/> pixels, 8-bit RGB, row-major from the
/// top-left corner: pixel (x, y) is the three bytes at <c>3 × (y × Width + x)</c> of
/// <see cref="Pixels"/>. Made by <see cref="DigitGrid.Render"/>; saved as SVG with
/// <see cref="ToSvg"/> or as PNG through an encoder.
/// </summary>
public sealed class RgbImage
{
    private readonly byte[] _pixels;

    /// <summary>A white picture.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A side is less than 1, or the picture has more than 2²⁸ pixels.</exception>
    public RgbImage(int width, int height)
        : this(width, height, RgbColor.White)
    {
    }

    /// <summary>A picture filled with <paramref name="background"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A side is less than 1, or the picture has more than 2²⁸ pixels.</exception>
    public RgbImage(int width, int height, RgbColor background)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((long)width * height, 1L << 28, nameof(width));
        Width = width;
        Height = height;
        _pixels = new byte[width * height * 3];
        FillRectangle(0, 0, width, height, background);
    }

    /// <summary>Pixels per row.</summary>
    public int Width { get; }

    /// <summary>Rows.</summary>
    public int Height { get; }

    /// <summary>The pixels, three bytes (red, green, blue) each, row-major: <c>Width × Height × 3</c> bytes. Writable.</summary>
    public Span<byte> Pixels => _pixels;

    /// <summary>The colour of pixel (<paramref name="x"/>, <paramref name="y"/>).</summary>
    public RgbColor GetPixel(int x, int y)
    {
        var i = Offset(x, y);
        return new(_pixels[i], _pixels[i + 1], _pixels[i + 2]);
    }

    /// <summary>Sets pixel (<paramref name="x"/>, <paramref name="y"/>) to <paramref name="color"/>.</summary>
    public void SetPixel(int x, int y, RgbColor color)
    {
        var i = Offset(x, y);
        _pixels[i] = color.R;
        _pixels[i + 1] = color.G;
        _pixels[i + 2] = color.B;
    }

    /// <summary>
    /// The picture as SVG, one square per pixel, shown at <paramref name="zoom"/> times its size.
    /// Each row's runs of one colour are merged into a single rectangle, and the most common colour
    /// is drawn once as the background, so a digit costs a few hundred elements.
    /// </summary>
    /// <param name="label">What the picture shows, for screen readers (<c>aria-label</c>).</param>
    /// <param name="zoom">Display scale, e.g. 3 to show a 28-pixel digit 84 pixels wide.</param>
    public string ToSvg(string label = "picture", double zoom = 1)
    {
        ArgumentNullException.ThrowIfNull(label);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(zoom);
        var background = MostCommonColor();
        var svg = new SvgBuilder(Width, Height, label, zoom).RootAttributes("shape-rendering=\"crispEdges\"");
        svg.Rect(0, 0, Width, Height, background);
        for (var y = 0; y < Height; y++)
        {
            var x = 0;
            while (x < Width)
            {
                var color = GetPixel(x, y);
                var end = x + 1;
                while (end < Width && GetPixel(end, y) == color)
                {
                    end++;
                }

                if (color != background)
                {
                    svg.Rect(x, y, end - x, 1, color);
                }

                x = end;
            }
        }

        return svg.ToString();
    }

    /// <summary>Fills the part of the rectangle that lies inside the picture.</summary>
    internal void FillRectangle(int x, int y, int width, int height, RgbColor color)
    {
        var left = Math.Max(x, 0);
        var top = Math.Max(y, 0);
        var right = Math.Min((long)x + width, Width);
        var bottom = Math.Min((long)y + height, Height);
        for (var row = top; row < bottom; row++)
        {
            for (var column = left; column < right; column++)
            {
                SetPixel(column, row, color);
            }
        }
    }

    /// <summary>
    /// Draws a grey image (0 = background, drawn white; 255 = ink, drawn black) with its top-left
    /// corner at (x, y), each of its pixels a <paramref name="scale"/> × <paramref name="scale"/> square.
    /// </summary>
    internal void DrawInk(ReadOnlySpan<byte> ink, int inkWidth, int inkHeight, int x, int y, int scale)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(ink.Length, inkWidth * inkHeight, nameof(ink));
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        for (var row = 0; row < inkHeight; row++)
        {
            for (var column = 0; column < inkWidth; column++)
            {
                FillRectangle(x + (column * scale), y + (row * scale), scale, scale, RgbColor.FromInk(ink[(row * inkWidth) + column]));
            }
        }
    }

    /// <summary>Saves the picture as a PNG file through <paramref name="png"/>, atomically.</summary>
    internal void SavePng(string path, IPngWriter png)
    {
        ArgumentNullException.ThrowIfNull(png);
        AtomicFile.Write(path, stream => png.Write(stream, Width, Height, _pixels));
    }

    private int Offset(int x, int y)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(x);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(x, Width);
        ArgumentOutOfRangeException.ThrowIfNegative(y);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(y, Height);
        return 3 * ((y * Width) + x);
    }

    private RgbColor MostCommonColor()
    {
        var counts = new Dictionary<RgbColor, int>();
        for (var i = 0; i < _pixels.Length; i += 3)
        {
            var color = new RgbColor(_pixels[i], _pixels[i + 1], _pixels[i + 2]);
            counts[color] = counts.GetValueOrDefault(color) + 1;
        }

        return counts.MaxBy(c => c.Value).Key;
    }
}
