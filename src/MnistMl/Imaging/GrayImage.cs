namespace MnistMl.Imaging;

/// <summary>
/// A grey-level image as decoded from a file: <see cref="Width"/> × <see cref="Height"/> bytes,
/// row-major from the top-left, <b>0 = black and 255 = white</b> — the way the file shows it, so a
/// scan of dark ink on white paper has a bright background. (MNIST is the other way round: ink is
/// bright on black; <see cref="DigitNormalizer"/> converts.) Colour images are reduced to their
/// ITU-R BT.601 luma and transparent ones are laid over white by <see cref="ImageDecoder"/>.
/// </summary>
public sealed class GrayImage
{
    /// <summary>Wraps <paramref name="pixels"/> (no copy).</summary>
    /// <param name="width">Pixels per row, at least 1.</param>
    /// <param name="height">Rows, at least 1.</param>
    /// <param name="pixels"><c>width × height</c> grey levels, row-major.</param>
    /// <exception cref="ArgumentException">A size is not positive, or <paramref name="pixels"/> does not hold <c>width × height</c> values.</exception>
    public GrayImage(int width, int height, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentNullException.ThrowIfNull(pixels);
        if ((long)width * height != pixels.LongLength)
        {
            throw new ArgumentException($"A {width} × {height} image has {(long)width * height} pixels, not {pixels.LongLength}.", nameof(pixels));
        }

        Width = width;
        Height = height;
        Pixels = pixels;
    }

    /// <summary>A black image of <paramref name="width"/> × <paramref name="height"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    public GrayImage(int width, int height)
        : this(width, height, new byte[PixelCount(width, height)])
    {
    }

    /// <summary>Pixels per row.</summary>
    public int Width { get; }

    /// <summary>Rows.</summary>
    public int Height { get; }

    /// <summary>The grey levels, row-major: pixel (x, y) is <c>Pixels[y * Width + x]</c>; 0 = black, 255 = white.</summary>
#pragma warning disable CA1819 // The pixel buffer is the image: callers read and write it in place, as with MnistDataset's arrays.
    public byte[] Pixels { get; }
#pragma warning restore CA1819

    /// <summary>The grey level at column <paramref name="x"/>, row <paramref name="y"/>.</summary>
    public byte this[int x, int y]
    {
        get => Pixels[Index(x, y)];
        set => Pixels[Index(x, y)] = value;
    }

    /// <summary>The size as <c>width × height</c>.</summary>
    public override string ToString() => $"{Width} × {Height} grey image";

    private static long PixelCount(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        return (long)width * height;
    }

    private int Index(int x, int y)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)x, (uint)Width, nameof(x));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)y, (uint)Height, nameof(y));
        return (y * Width) + x;
    }
}
