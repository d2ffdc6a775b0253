using System.Diagnostics;
using System.Globalization;

namespace MnistMl.Persistence;

/// <summary>
/// Writes a file so that its final name only ever holds a complete file: write beside it under a
/// temporary name (<c>.NAME.PID.GUID.tmp</c>), flush to disk, then rename over the target.
/// Temporary files that a killed writer of the same target left behind (their process is gone)
/// are removed on the next write.
/// </summary>
internal static class AtomicFile
{
    /// <summary>The HResult .NET gives an <see cref="IOException"/> for ENOSPC on Unix.</summary>
    private const int DiskFull = 28;

    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, all or nothing.</summary>
    /// <exception cref="FileAccessException">The file cannot be written (permission, a directory in the way, a full disk); the target is as it was.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        try
        {
            var directory = Path.GetDirectoryName(full)!;
            Directory.CreateDirectory(directory);
            RemoveLeftovers(directory, Path.GetFileName(full));
            WriteThenRename(full, write);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new FileAccessException(path, FileAccessKind.Write, ReasonOf(full, ex), ex);
        }
    }

    /// <summary>The one-line reason a write failed, in the user's terms.</summary>
    internal static string ReasonOf(string fullPath, Exception ex) => ex switch
    {
        _ when Directory.Exists(fullPath) => "it is a directory.",
        UnauthorizedAccessException => "permission denied.",
        IOException { HResult: DiskFull } => "no space left on the disk; the file is as it was.",
        _ => ex.Message,
    };

    private static void WriteThenRename(string full, Action<Stream> write)
    {
        var temporary = TemporaryPathFor(full);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>A new temporary name beside <paramref name="fullPath"/>: <c>.NAME.PID.GUID.tmp</c>, which <see cref="RemoveLeftovers"/> knows.</summary>
    public static string TemporaryPathFor(string fullPath) =>
        Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");

    /// <summary>Deletes <c>.NAME.PID.GUID.tmp</c> files of <paramref name="name"/> whose process no longer runs (a live writer's are left alone).</summary>
    private static void RemoveLeftovers(string directory, string name)
    {
        foreach (var file in Directory.EnumerateFiles(directory, $".{name}.*.tmp"))
        {
            var parts = Path.GetFileName(file)[(name.Length + 2)..].Split('.');
            if (parts.Length == 3 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && !IsRunning(pid))
            {
                try
                {
                    File.Delete(file);
                }
                catch (IOException)
                {
                    // Another writer may be removing it at the same moment; it goes either way.
                }
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
