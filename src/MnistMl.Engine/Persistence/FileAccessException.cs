namespace MnistMl.Persistence;

/// <summary>
/// A file cannot be read or written as a file at all, whatever it holds: permission denied, a
/// directory, a named pipe or device where a regular file belongs, a loop of symbolic links, a
/// full disk. The message names the file and the reason. (What a readable file holds being wrong
/// is a format error of its kind instead, such as <see cref="ModelFormatException"/>.)
/// </summary>
public sealed class FileAccessException : MnistMlException
{
    /// <summary>Creates the exception for <paramref name="filePath"/> with the <paramref name="reason"/>.</summary>
    public FileAccessException(string filePath, FileAccessKind access, string reason, Exception? innerException = null)
        : base($"cannot {(access == FileAccessKind.Read ? "read" : "write")} {filePath}: {reason}", innerException)
    {
        FilePath = filePath;
        Access = access;
        Reason = reason;
    }

    /// <summary>The file.</summary>
    public string FilePath { get; }

    /// <summary>Whether it was being read or written.</summary>
    public FileAccessKind Access { get; }

    /// <summary>Why it cannot be.</summary>
    public string Reason { get; }
}
