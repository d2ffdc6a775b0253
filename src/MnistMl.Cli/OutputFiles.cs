using MnistMl.Persistence;

namespace MnistMl.Cli;

/// <summary>Checks, before any work, that a file the command will write can be written.</summary>
internal static class OutputFiles
{
    /// <summary>
    /// <paramref name="path"/> is not a directory and its folder exists (made if missing) and takes a
    /// new file: a probe file is created there and deleted at once.
    /// </summary>
    /// <exception cref="FileAccessException">The file could not be written; the message says why.</exception>
    public static void CheckWritable(string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new FileAccessException(path, FileAccessKind.Write, "it is a directory.");
        }

        try
        {
            var folder = Path.GetDirectoryName(full)!;
            Directory.CreateDirectory(folder);
            using (File.Create(AtomicFile.TemporaryPathFor(full), 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new FileAccessException(path, FileAccessKind.Write, AtomicFile.ReasonOf(full, ex), ex);
        }
    }
}
