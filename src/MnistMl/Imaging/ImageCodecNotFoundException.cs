namespace MnistMl.Imaging;

/// <summary>
/// Decoding an image needs a native codec library that could not be loaded: JPEG, GIF and WebP go
/// through SkiaSharp, whose <c>libSkiaSharp</c> comes in a NuGet package
/// (<c>SkiaSharp.NativeAssets.Linux.NoDependencies</c> on Linux, which MnistMl references). It is
/// missing only from an app published for a platform that package does not cover. PNG, BMP and
/// PGM/PBM need nothing. The message names the package.
/// </summary>
public sealed class ImageCodecNotFoundException : MnistMlException
{
    /// <summary>Creates the exception for the missing <paramref name="libraryName"/>.</summary>
    /// <param name="source">The image that needed it.</param>
    /// <param name="format">The image format, e.g. <c>JPEG</c>.</param>
    /// <param name="libraryName">The library looked for, e.g. <c>libSkiaSharp</c>.</param>
    /// <param name="packageName">The NuGet package that ships it, e.g. <c>SkiaSharp.NativeAssets.Linux.NoDependencies</c>.</param>
    /// <param name="innerException">The loader's error.</param>
    public ImageCodecNotFoundException(string source, string format, string libraryName, string packageName, Exception? innerException = null)
        : base(
            $"{source}: decoding {format} needs the native library {libraryName}, which could not be loaded; " +
            $"reference the NuGet package {packageName} (or SkiaSharp's package for your platform), or convert the image to PNG.",
            innerException)
    {
        LibraryName = libraryName;
        PackageName = packageName;
    }

    /// <summary>The library that was looked for.</summary>
    public string LibraryName { get; }

    /// <summary>The NuGet package that ships it.</summary>
    public string PackageName { get; }
}
