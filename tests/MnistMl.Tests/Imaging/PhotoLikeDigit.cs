using MnistMl.Imaging;

namespace MnistMl.Tests.Imaging;

/// <summary>
/// Makes an MNIST digit look like a photo of ink on paper: dark on light, enlarged a few hundred
/// pixels with bilinear interpolation, off-centre on a larger page, with uneven lighting and
/// sensor noise.
/// </summary>
internal static class PhotoLikeDigit
{
    public static GrayImage Render(ReadOnlySpan<byte> mnist, Random random)
    {
        var scale = 7 + (3 * random.NextDouble());                         // 196–280 pixels per side
        var size = (int)Math.Round(DigitImage.Size * scale);
        var (width, height) = (size + random.Next(60, 160), size + random.Next(60, 160));
        var (left, top) = (random.Next(width - size), random.Next(height - size));
        var paper = 200 + random.Next(45);
        var ink = 15 + random.Next(50);
        var (shadeX, shadeY) = ((random.NextDouble() - 0.5) * 30 / width, (random.NextDouble() - 0.5) * 30 / height);
        var noise = new byte[2 * width * height];
        random.NextBytes(noise);
        var page = new GrayImage(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var inside = x >= left - scale && x < left + size + scale && y >= top - scale && y < top + size + scale;
                var coverage = inside ? Bilinear(mnist, ((x - left + 0.5) / scale) - 0.5, ((y - top + 0.5) / scale) - 0.5) / 255 : 0;
                var light = paper + (shadeX * (x - (width / 2))) + (shadeY * (y - (height / 2)));
                var pixel = (y * width) + x;
                var sensor = (noise[2 * pixel] + noise[(2 * pixel) + 1] - 255) * 15.0 / 255;   // triangular, ±15 levels, σ ≈ 6
                page.Pixels[pixel] = (byte)Math.Clamp(Math.Round(light - ((light - ink) * coverage) + sensor), 0, 255);
            }
        }

        return page;
    }

    /// <summary>The MNIST digit enlarged <paramref name="factor"/> times by bilinear interpolation and inverted to black ink on white.</summary>
    public static GrayImage EnlargeInverted(ReadOnlySpan<byte> mnist, int factor)
    {
        var size = DigitImage.Size * factor;
        var image = new GrayImage(size, size);
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var value = Bilinear(mnist, ((x + 0.5) / factor) - 0.5, ((y + 0.5) / factor) - 0.5);
                image[x, y] = (byte)(255 - Math.Round(value));
            }
        }

        return image;
    }

    /// <summary>The MNIST image at a fractional position, between the four nearest pixels; 0 outside it.</summary>
    private static double Bilinear(ReadOnlySpan<byte> mnist, double u, double v)
    {
        if (u <= -1 || v <= -1 || u >= DigitImage.Size || v >= DigitImage.Size)
        {
            return 0;
        }

        var (x0, y0) = ((int)Math.Floor(u), (int)Math.Floor(v));
        var (fx, fy) = (u - x0, v - y0);
        return ((1 - fy) * (((1 - fx) * At(mnist, x0, y0)) + (fx * At(mnist, x0 + 1, y0))))
            + (fy * (((1 - fx) * At(mnist, x0, y0 + 1)) + (fx * At(mnist, x0 + 1, y0 + 1))));
    }

    private static double At(ReadOnlySpan<byte> mnist, int x, int y) =>
        x is >= 0 and < DigitImage.Size && y is >= 0 and < DigitImage.Size ? mnist[(y * DigitImage.Size) + x] : 0;
}
