namespace MnistMl.Imaging;

/// <summary>
/// JPEG (baseline, progressive, grey or colour) decoded to grey by the system's libjpeg-turbo,
/// which converts colour to luma itself. Without the library, decoding a JPEG throws
/// <see cref="ImageCodecNotFoundException"/> naming the package to install.
/// </summary>
internal static class JpegDecoder
{
    public static bool IsJpeg(ReadOnlySpan<byte> data) => data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF;

    public static GrayImage Decode(ReadOnlySpan<byte> data, string name) => Decode(data, name, TurboJpeg.Default);

    /// <summary>Decodes with <paramref name="codec"/>; null means the library is missing.</summary>
    internal static GrayImage Decode(ReadOnlySpan<byte> data, string name, TurboJpeg? codec) =>
        codec is null
            ? throw new ImageCodecNotFoundException(name, "JPEG", TurboJpeg.LibraryName, TurboJpeg.PackageName)
            : codec.DecompressGray(data, name);
}
