using System.Runtime.InteropServices;

namespace MnistMl.Persistence;

/// <summary>
/// Opens the files MnistMl reads (data, models, weights, images) only when they are regular
/// files: opening a named pipe blocks until something writes to it, and a device such as
/// <c>/dev/zero</c> never ends, so both are refused before they are opened, with the reason.
/// </summary>
internal static partial class InputFile
{
    /// <summary>Opens <paramref name="path"/> for reading.</summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="DirectoryNotFoundException">A folder on the path does not exist.</exception>
    /// <exception cref="FileAccessException">The file exists but cannot be read as a regular file; the reason says why.</exception>
    public static FileStream OpenRead(string path, int bufferSize = 4096, FileOptions options = FileOptions.None)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (NotRegularReason(path) is { } reason)
        {
            throw new FileAccessException(path, FileAccessKind.Read, reason);
        }

        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize, options);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new FileAccessException(path, FileAccessKind.Read, "permission denied.", ex);
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new FileAccessException(path, FileAccessKind.Read, ex.Message, ex);
        }
    }

    /// <summary>
    /// Why <paramref name="path"/> is not a readable regular file, or null when it is (or when
    /// this system cannot tell, and opening it will). .NET has no public API for a file's type,
    /// so this asks Linux's <c>statx</c>, whose layout is the same on every architecture.
    /// </summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="DirectoryNotFoundException">A folder on the path does not exist.</exception>
    internal static string? NotRegularReason(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        Span<byte> status = stackalloc byte[StatxSize];
        int result;
        try
        {
            result = Statx(AtFdCwd, path, 0, StatxType, ref MemoryMarshal.GetReference(status));
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }

        if (result != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno switch
            {
                ENoEnt => throw new FileNotFoundException($"Could not find file '{path}'.", path),
                ENotDir => throw new DirectoryNotFoundException($"Could not find a part of the path '{path}'."),
                ELoop => "its symbolic links form a loop.",
                EAccess => "permission denied (a folder on its path cannot be searched).",

                // statx itself refused (a seccomp filter's EPERM, an old kernel's ENOSYS) or an odd
                // path: this check cannot tell, so it must not block a read that may well work.
                _ => null,
            };
        }

        var mode = BitConverter.ToUInt16(status[ModeOffset..]);
        return (mode & FileTypeMask) switch
        {
            RegularFile => null,
            Directory => "it is a directory, not a file.",
            NamedPipe => "it is a named pipe (FIFO), not a regular file; reading it could wait forever.",
            CharacterDevice => "it is a character device, not a regular file.",
            BlockDevice => "it is a block device, not a regular file.",
            Socket => "it is a socket, not a regular file.",
            _ => "it is not a regular file.",
        };
    }

    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;
    private const int StatxSize = 256;
    private const int ModeOffset = 28;
    private const int FileTypeMask = 0xF000;
    private const int NamedPipe = 0x1000;
    private const int CharacterDevice = 0x2000;
    private const int Directory = 0x4000;
    private const int BlockDevice = 0x6000;
    private const int RegularFile = 0x8000;
    private const int Socket = 0xC000;
    private const int ENoEnt = 2;
    private const int EAccess = 13;
    private const int ENotDir = 20;
    private const int ELoop = 40;

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directory, string path, int flags, uint mask, ref byte status);
}
