namespace MnistMl.Cli;

/// <summary>Checks, before any work, that a file the command will write can be written.</summary>
internal static class OutputFiles
{
    /// <summary>
    /// <paramref name="path"/> is not a directory and its folder exists (made if missing) and takes a
    /// new file: a probe file is created there and deleted at once.
    /// </summary>
    /// <exception cref="OutputFileException">The file could not be written; the message says why.</exception>
    public static void CheckWritable(string path)
    {
        try
        {
            var full = Path.GetFullPath(path);
            if (Directory.Exists(full))
            {
                throw new IOException("it is a directory.");
            }

            var folder = Path.GetDirectoryName(full)!;
            Directory.CreateDirectory(folder);
            using (File.Create(Persistence.AtomicFile.TemporaryPathFor(full), 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new OutputFileException(path, ex);
        }
    }
}
