namespace MnistMl.Persistence;

/// <summary>
/// A model or weights file cannot be used: not in the expected format, damaged, from a newer
/// version, or disagreeing with the model's architecture. The message names the file and the reason.
/// </summary>
public sealed class ModelFormatException : MnistMlException
{
    /// <summary>Creates the exception for <paramref name="filePath"/> with the <paramref name="reason"/>.</summary>
    public ModelFormatException(string filePath, string reason, Exception? innerException = null)
        : base($"{filePath}: {reason}", innerException)
    {
        FilePath = filePath;
        Reason = reason;
    }

    /// <summary>The file that is wrong.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong with it.</summary>
    public string Reason { get; }
}
