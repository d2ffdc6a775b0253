using MnistMl.Persistence;
using MnistMl.Tests.Data;

namespace MnistMl.Tests.Persistence;

/// <summary>Only regular files are opened for reading (issue 14 #4: a named pipe hung the CLI; #12: /dev/zero and folders as images).</summary>
public sealed class InputFileTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_named_pipe_is_refused_at_once_instead_of_waiting_for_a_writer()
    {
        var pipe = NamedPipe.Create(_folder, "data.gz");

        var error = await Assert.ThrowsAsync<FileAccessException>(() => NamedPipe.Within(Task.Run(() => InputFile.OpenRead(pipe)), pipe));

        Assert.Equal($"cannot read {pipe}: it is a named pipe (FIFO), not a regular file; reading it could wait forever.", error.Message);
        Assert.Equal(FileAccessKind.Read, error.Access);
    }

    [Theory]
    [InlineData("/dev/zero", "it is a character device, not a regular file.")]
    [InlineData("/", "it is a directory, not a file.")]
    public void Devices_and_directories_are_refused(string path, string reason)
    {
        var error = Assert.Throws<FileAccessException>(() => InputFile.OpenRead(path));

        Assert.Equal((path, reason), (error.FilePath, error.Reason));
    }

    [Fact]
    public void A_loop_of_symbolic_links_is_named()
    {
        var first = Path.Combine(_folder.Path, "a");
        File.CreateSymbolicLink(first, Path.Combine(_folder.Path, "b"));
        File.CreateSymbolicLink(Path.Combine(_folder.Path, "b"), first);

        var error = Assert.Throws<FileAccessException>(() => InputFile.OpenRead(first));

        Assert.Equal("its symbolic links form a loop.", error.Reason);
    }

    [Fact]
    public void Regular_files_and_links_to_them_open_and_missing_ones_are_not_found()
    {
        var file = Path.Combine(_folder.Path, "file");
        File.WriteAllBytes(file, [1, 2, 3]);
        var link = Path.Combine(_folder.Path, "link");
        File.CreateSymbolicLink(link, file);

        using (var stream = InputFile.OpenRead(link))
        {
            Assert.Equal(3, stream.Length);
        }

        Assert.Throws<FileNotFoundException>(() => InputFile.OpenRead(Path.Combine(_folder.Path, "missing")));
        Assert.Throws<DirectoryNotFoundException>(() => InputFile.OpenRead(Path.Combine(file, "under-a-file")));
    }
}
