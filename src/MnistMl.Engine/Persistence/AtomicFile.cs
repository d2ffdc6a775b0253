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
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        RemoveLeftovers(directory, Path.GetFileName(full));
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
