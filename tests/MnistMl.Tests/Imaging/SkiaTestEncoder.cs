using MnistMl.Imaging;
using SkiaSharp;

namespace MnistMl.Tests.Imaging;

/// <summary>Writes JPEG and WebP files with SkiaSharp's encoders, from grey or colour pixels.</summary>
internal static class SkiaTestEncoder
{
    public static byte[] Encode(GrayImage image, int quality) =>
        Encode(new SKImageInfo(image.Width, image.Height, SKColorType.Gray8, SKAlphaType.Opaque), image.Pixels, SKEncodedImageFormat.Jpeg, quality);

    /// <summary>Encodes RGBA pixels (4 bytes each, not premultiplied) as <paramref name="format"/>.</summary>
    public static byte[] EncodeRgba(int width, int height, byte[] rgba, SKEncodedImageFormat format, int quality) =>
        Encode(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul), rgba, format, quality);

    private static unsafe byte[] Encode(SKImageInfo info, byte[] pixels, SKEncodedImageFormat format, int quality)
    {
        fixed (byte* data = pixels)
        {
            using var pixmap = new SKPixmap(info, (nint)data, info.RowBytes);
            using var encoded = pixmap.Encode(format, quality)
                ?? throw new InvalidOperationException($"SkiaSharp could not encode a {info.Width} × {info.Height} {info.ColorType} image as {format}.");
            return encoded.ToArray();
        }
    }
}
