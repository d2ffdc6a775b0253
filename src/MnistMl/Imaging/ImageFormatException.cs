namespace MnistMl.Imaging;

/// <summary>
/// An image cannot be used: it is not in a format MnistMl reads, or it is malformed, truncated,
/// corrupt (a bad checksum), absurdly large, or not usable as asked. The message starts with the
/// file (or stream) and says why in one sentence.
/// </summary>
public class ImageFormatException : MnistMlException
{
    /// <summary>Creates the exception for <paramref name="source"/> with the <paramref name="reason"/>.</summary>
    /// <param name="source">The file as it was named to the library, or a stream's display name.</param>
    /// <param name="reason">What is wrong, in one sentence.</param>
    /// <param name="innerException">The error that revealed it, if any.</param>
    public ImageFormatException(string source, string reason, Exception? innerException = null)
        : base($"{source}: {reason}", innerException)
    {
        ImageName = source;
        Reason = reason;
    }

    /// <summary>The file as it was named to the library, or the display name of the stream or bytes.</summary>
    public string ImageName { get; }

    /// <summary>What is wrong with the image, in one sentence.</summary>
    public string Reason { get; }
}
