using SkiaSharp;

namespace MnistMl.Imaging;

/// <summary>
/// PNG (every colour type, bit depth and interlacing), JPEG (baseline and progressive), GIF (first
/// frame), WebP and BMP decoded by SkiaSharp, whose native
/// library ships inside its NuGet packages, so no system package is needed. Grey sources are
/// read as grey; colour becomes grey by the shared BT.601 luma, with transparency laid over white.
/// The EXIF orientation of a photo is applied, so a phone picture comes out upright. The size is
/// read from the header and checked before any pixel is allocated, and a stream that ends early is
/// an error rather than a picture with a grey rest.
/// </summary>
internal static class SkiaDecoder
{
    /// <summary>The library the codecs live in, and the package that ships it for Linux.</summary>
    public const string LibraryName = "libSkiaSharp";

    /// <summary>The NuGet package that carries <see cref="LibraryName"/> for Linux with no system dependency.</summary>
    public const string PackageName = "SkiaSharp.NativeAssets.Linux.NoDependencies";

    private static ReadOnlySpan<byte> PngSignature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The format name of an image SkiaSharp reads, or null: PNG, JPEG, GIF, WebP or BMP, told from the first bytes.</summary>
    public static string? FormatOf(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith(PngSignature))
        {
            return "PNG";
        }

        if (data.StartsWith("BM"u8))
        {
            return "BMP";
        }

        if (data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
        {
            return "JPEG";
        }

        if (data.StartsWith("GIF87a"u8) || data.StartsWith("GIF89a"u8))
        {
            return "GIF";
        }

        return data.Length >= 12 && data.StartsWith("RIFF"u8) && data[8..12].SequenceEqual("WEBP"u8) ? "WebP" : null;
    }

    /// <summary>Decodes <paramref name="data"/>, an image of <paramref name="format"/> (from <see cref="FormatOf"/>).</summary>
    /// <exception cref="ImageFormatException">The data is not a readable image, or its size is out of bounds.</exception>
    /// <exception cref="ImageCodecNotFoundException">SkiaSharp's native library cannot be loaded.</exception>
    public static GrayImage Decode(ReadOnlySpan<byte> data, string name, string format, long maxPixels = ImageDecoder.MaxPixelCount)
    {
        try
        {
            return DecodeWithSkia(data, name, format, maxPixels);
        }
        catch (Exception error) when (error is DllNotFoundException or EntryPointNotFoundException or TypeInitializationException)
        {
            throw MissingLibrary(name, format, error);
        }
    }

    /// <summary>The error for a native library that did not load, naming the package that ships it.</summary>
    internal static ImageCodecNotFoundException MissingLibrary(string name, string format, Exception error) =>
        new(name, format, LibraryName, PackageName, error);

    private static unsafe GrayImage DecodeWithSkia(ReadOnlySpan<byte> data, string name, string format, long maxPixels)
    {
        using var encoded = CopyToSkia(data);
        // The codec takes the stream over (and frees it when it cannot open it).
        using var codec = SKCodec.Create(new SKMemoryStream(encoded), out var opened);
        if (codec is null)
        {
            throw new ImageFormatException(name, $"SkiaSharp cannot read the {format} header ({Describe(opened)}).");
        }

        var (width, height) = (codec.Info.Width, codec.Info.Height);
        ImageDecoder.CheckSize(name, width, height, maxPixels);
        var grey = codec.Info.ColorType == SKColorType.Gray8;
        var info = new SKImageInfo(width, height, grey ? SKColorType.Gray8 : SKColorType.Rgba8888, grey ? SKAlphaType.Opaque : SKAlphaType.Unpremul);
        var pixels = new byte[(long)info.BytesSize64];
        SKCodecResult result;
        fixed (byte* target = pixels)
        {
            result = codec.GetPixels(info, (nint)target);
        }

        if (result != SKCodecResult.Success)
        {
            var reason = (format == "PNG" ? PngDataCheck.WhyUndecodable(data) : null) ?? Describe(result);
            throw new ImageFormatException(name, $"SkiaSharp cannot decode the {format} image data ({reason}).");
        }

        var image = grey ? new GrayImage(width, height, pixels) : ToGrey(width, height, pixels);
        return Orient(image, codec.EncodedOrigin);
    }

    private static unsafe SKData CopyToSkia(ReadOnlySpan<byte> data)
    {
        fixed (byte* bytes = data)
        {
            return SKData.CreateCopy((nint)bytes, (ulong)data.Length);
        }
    }

    private static string Describe(SKCodecResult result) => result switch
    {
        SKCodecResult.IncompleteInput => "the data ends early",
        SKCodecResult.ErrorInInput => "the data is corrupt",
        SKCodecResult.InvalidInput => "the data is not valid",
        SKCodecResult.Unimplemented => "a feature it does not support",
        _ => result.ToString(),
    };

    private static GrayImage ToGrey(int width, int height, byte[] rgba)
    {
        var grey = new byte[width * height];
        for (var i = 0; i < grey.Length; i++)
        {
            var luma = GreyLevels.Luma(rgba[4 * i], rgba[(4 * i) + 1], rgba[(4 * i) + 2]);
            grey[i] = (byte)GreyLevels.OverWhite(luma, rgba[(4 * i) + 3], 255);
        }

        return new GrayImage(width, height, grey);
    }

    /// <summary>Turns the stored pixels the way the EXIF orientation says they are meant to be seen.</summary>
    private static GrayImage Orient(GrayImage stored, SKEncodedOrigin origin)
    {
        if (origin is SKEncodedOrigin.TopLeft or SKEncodedOrigin.Default)
        {
            return stored;
        }

        var (w, h) = (stored.Width, stored.Height);
        var swaps = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var upright = swaps ? new GrayImage(h, w) : new GrayImage(w, h);
        for (var y = 0; y < upright.Height; y++)
        {
            for (var x = 0; x < upright.Width; x++)
            {
                var (sx, sy) = origin switch
                {
                    SKEncodedOrigin.TopRight => (w - 1 - x, y),
                    SKEncodedOrigin.BottomRight => (w - 1 - x, h - 1 - y),
                    SKEncodedOrigin.BottomLeft => (x, h - 1 - y),
                    SKEncodedOrigin.LeftTop => (y, x),
                    SKEncodedOrigin.RightTop => (y, h - 1 - x),
                    SKEncodedOrigin.RightBottom => (w - 1 - y, h - 1 - x),
                    _ => (w - 1 - y, x),   // LeftBottom
                };
                upright[x, y] = stored[sx, sy];
            }
        }

        return upright;
    }
}
