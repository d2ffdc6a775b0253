using MnistMl.Persistence;
using MnistMl.Tests.Data;

namespace MnistMl.Tests.Persistence;

public sealed class AtomicFileTests
{
    /// <summary>Above Linux's largest process id (4,194,304): never a running process.</summary>
    private const int GonePid = 99_999_999;

    [Fact]
    public void Write_removes_temporary_files_a_killed_writer_of_the_same_file_left_and_keeps_the_rest()
    {
        using var folder = new TempFolder();
        var target = Path.Combine(folder.Path, "model.zip");
        var stale = folder.Write($".model.zip.{GonePid}.0123456789abcdef0123456789abcdef.tmp", [1]);
        var live = folder.Write($".model.zip.{Environment.ProcessId}.fedcba9876543210fedcba9876543210.tmp", [2]);
        var otherTarget = folder.Write($".other.zip.{GonePid}.0123456789abcdef0123456789abcdef.tmp", [3]);

        AtomicFile.Write(target, stream => stream.Write([4, 5]));

        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(live));
        Assert.True(File.Exists(otherTarget));
        Assert.Equal([4, 5], File.ReadAllBytes(target));
    }
}
