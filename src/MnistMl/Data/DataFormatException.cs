namespace MnistMl.Data;

/// <summary>
/// A data file (IDX, gzip, a downloaded MNIST file) is malformed: wrong magic number, truncated,
/// corrupt, inconsistent with its partner file, or failing its checksum.
/// </summary>
public sealed class DataFormatException : MnistMlException
{
    /// <summary>Creates the exception for <paramref name="filePath"/> with the <paramref name="reason"/>.</summary>
    public DataFormatException(string filePath, string reason, Exception? innerException = null)
        : base($"{filePath}: {reason}", innerException)
    {
        FilePath = filePath;
        Reason = reason;
    }

    /// <summary>The file that is wrong, as it was named to the library.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong with it, in one sentence.</summary>
    public string Reason { get; }
}
