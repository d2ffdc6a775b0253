namespace MnistMl.Imaging;

/// <summary>
/// Decoding an image needs a system library that is not installed: JPEG goes through
/// libjpeg-turbo's TurboJPEG API (<c>libturbojpeg.so.0</c>, Debian/Ubuntu package
/// <c>libturbojpeg0</c>). PNG, BMP and PGM/PBM need nothing. The message names the package.
/// </summary>
public sealed class ImageCodecNotFoundException : MnistMlException
{
    /// <summary>Creates the exception for the missing <paramref name="libraryName"/>.</summary>
    /// <param name="source">The image that needed it.</param>
    /// <param name="format">The image format, e.g. <c>JPEG</c>.</param>
    /// <param name="libraryName">The library looked for, e.g. <c>libturbojpeg.so.0</c>.</param>
    /// <param name="packageName">The Debian/Ubuntu package that installs it, e.g. <c>libturbojpeg0</c>.</param>
    /// <param name="innerException">The loader's error.</param>
    public ImageCodecNotFoundException(string source, string format, string libraryName, string packageName, Exception? innerException = null)
        : base(
            $"{source}: decoding {format} needs the system library {libraryName}, which was not found; " +
            $"install it (Debian/Ubuntu: apt-get install {packageName}), or convert the image to PNG.",
            innerException)
    {
        LibraryName = libraryName;
        PackageName = packageName;
    }

    /// <summary>The library that was looked for.</summary>
    public string LibraryName { get; }

    /// <summary>The Debian/Ubuntu package that installs it.</summary>
    public string PackageName { get; }
}
