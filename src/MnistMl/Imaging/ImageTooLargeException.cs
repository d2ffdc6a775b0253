namespace MnistMl.Imaging;

/// <summary>
/// An image whose header gives it more pixels than the reader takes: refused before anything of
/// that size is allocated. A server answers it with 413, as it does a body over its limit.
/// </summary>
public sealed class ImageTooLargeException : ImageFormatException
{
    /// <summary>Creates the exception for <paramref name="source"/>, whose header gives <paramref name="width"/> × <paramref name="height"/>.</summary>
    /// <param name="source">The file as it was named to the library, or a stream's display name.</param>
    /// <param name="width">The width the header gives.</param>
    /// <param name="height">The height the header gives.</param>
    /// <param name="reason">What is wrong, in one sentence.</param>
    public ImageTooLargeException(string source, long width, long height, string reason)
        : base(source, reason)
    {
        Width = width;
        Height = height;
    }

    /// <summary>The width the image's header gives, in pixels.</summary>
    public long Width { get; }

    /// <summary>The height the image's header gives, in pixels.</summary>
    public long Height { get; }
}
