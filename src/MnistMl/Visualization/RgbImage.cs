using System.Globalization;
using System.Text;
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
    /// <summary>The most pixels a picture may have, 2²⁸ (768 MiB of RGB).</summary>
    public const int MaxPixels = 1 << 28;

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
        if ((long)width * height > MaxPixels)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"A picture of {width} × {height} pixels is larger than the {MaxPixels:N0} pixels a picture may have.");
        }

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
    /// The picture as SVG, shown at <paramref name="zoom"/> times its size. The most common colour
    /// is the background; every other colour is one <c>&lt;path&gt;</c> of rectangles, each a run
    /// of that colour in a row merged with the same run in the rows below it, so an enlarged digit
    /// costs a few hundred small rectangles.
    /// </summary>
    /// <param name="label">What the picture shows, for screen readers (<c>aria-label</c>).</param>
    /// <param name="zoom">Display scale, e.g. 3 to show a 28-pixel digit 84 pixels wide.</param>
    public string ToSvg(string label = "picture", double zoom = 1)
    {
        ArgumentNullException.ThrowIfNull(label);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(zoom);
        var background = MostCommonColor();
        var paths = new Dictionary<RgbColor, StringBuilder>();
        foreach (var (x, y, width, height, color) in Rectangles())
        {
            if (color != background)
            {
                if (!paths.TryGetValue(color, out var path))
                {
                    paths[color] = path = new StringBuilder();
                }

                path.Append(CultureInfo.InvariantCulture, $"M{x} {y}h{width}v{height}h-{width}z");
            }
        }

        var svg = new SvgBuilder(Width, Height, label, zoom).RootAttributes("shape-rendering=\"crispEdges\"");
        svg.Rect(0, 0, Width, Height, background);
        foreach (var (color, path) in paths)
        {
            svg.Path(path.ToString(), color);
        }

        return svg.ToString();
    }

    /// <summary>Saves <see cref="ToSvg"/> as a UTF-8 file, atomically.</summary>
    public void SaveSvg(string path, string label = "picture", double zoom = 1)
    {
        var svg = ToSvg(label, zoom);
        AtomicFile.Write(path, stream => stream.Write(Encoding.UTF8.GetBytes(svg)));
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

    /// <summary>
    /// The picture as rectangles of one colour that together cover every pixel once: each row's
    /// runs of one colour, a run extended downwards while the next row has the very same run.
    /// </summary>
    private List<(int X, int Y, int Width, int Height, RgbColor Color)> Rectangles()
    {
        var done = new List<(int, int, int, int, RgbColor)>();
        var open = new Dictionary<(int Start, int End, RgbColor Color), int>();
        for (var y = 0; y <= Height; y++)
        {
            var runs = y < Height ? Runs(y) : [];
            foreach (var (run, top) in open.Where(o => !runs.Contains(o.Key)).ToArray())
            {
                done.Add((run.Start, top, run.End - run.Start, y - top, run.Color));
                open.Remove(run);
            }

            foreach (var run in runs)
            {
                open.TryAdd(run, y);
            }
        }

        return done;
    }

    private HashSet<(int Start, int End, RgbColor Color)> Runs(int y)
    {
        var runs = new HashSet<(int, int, RgbColor)>();
        var x = 0;
        while (x < Width)
        {
            var color = GetPixel(x, y);
            var end = x + 1;
            while (end < Width && GetPixel(end, y) == color)
            {
                end++;
            }

            runs.Add((x, end, color));
            x = end;
        }

        return runs;
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
