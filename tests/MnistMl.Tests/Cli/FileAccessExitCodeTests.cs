using System.Diagnostics;
using MnistMl.Cli;
using MnistMl.Cli.Commands;
using MnistMl.Tests.Data;
using MnistMl.Tests.Imaging;
using MnistMl.Tests.Persistence;

namespace MnistMl.Tests.Cli;

/// <summary>
/// Paths that are not readable regular files, and disks that fill up, get their own exit codes
/// and a one-line reason (issue 14 #4, #10, #12) instead of a hang or "unexpected failure".
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class FileAccessExitCodeTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Explore_over_a_named_pipe_in_the_data_folder_ends_at_once_with_6()
    {
        var pipe = NamedPipe.Create(_folder, "train-images-idx3-ubyte.gz");
        LinkRealFiles("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", "train-labels-idx1-ubyte.gz");

        var (code, _, error) = await NamedPipe.Within(Task.Run(() => CliHarness.Run(ExploreCommand.Create(), "explore", "--data", _folder.Path)), pipe);
        Assert.Equal(ExitCodes.InputError, code);
        Assert.Equal($"mnistml: input error: cannot read {pipe}: it is a named pipe (FIFO), not a regular file; reading it could wait forever.{Environment.NewLine}", error);
    }

    [Fact]
    public void An_unreadable_data_file_is_named_with_6()
    {
        // As a user without privileges (a user namespace of its own), since root reads any file.
        var images = _folder.Write("train-images-idx3-ubyte", IdxBytes.UnsignedByteFile(2, 28, 28));
        _folder.Write("train-labels-idx1-ubyte", [.. IdxBytes.Header(IdxBytes.UnsignedByte, 2), 3, 4]);
        _folder.Write("t10k-images-idx3-ubyte", IdxBytes.UnsignedByteFile(1, 28, 28));
        _folder.Write("t10k-labels-idx1-ubyte", [.. IdxBytes.Header(IdxBytes.UnsignedByte, 1), 5]);
        File.SetUnixFileMode(images, UnixFileMode.None);

        var (code, _, error) = Run("unshare", "--user", Path.Combine(AppContext.BaseDirectory, "MnistMl.Cli"), "explore", "--data", _folder.Path);

        Assert.Equal((ExitCodes.InputError, $"mnistml: input error: cannot read {images}: permission denied.\n"), (code, error));
    }

    [Fact]
    public void Train_into_a_read_only_folder_is_an_output_error_5_before_any_data_is_read()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_folder.Path, "read-only")).FullName;
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var target = Path.Combine(folder, "m.zip");

        var (code, _, error) = Run("unshare", "--user", Path.Combine(AppContext.BaseDirectory, "MnistMl.Cli"), "train", "--data", _folder.Path, "-o", target);

        Assert.Equal((ExitCodes.OutputError, $"mnistml: output error: cannot write {target}: permission denied.\n"), (code, error));
    }

    [Fact]
    public void A_symbolic_link_loop_in_the_data_folder_is_named_with_6()
    {
        var loop = Path.Combine(_folder.Path, "train-images-idx3-ubyte.gz");
        File.CreateSymbolicLink(loop, loop);
        LinkRealFiles("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", "train-labels-idx1-ubyte.gz");

        var (code, _, error) = CliHarness.Run(ExploreCommand.Create(), "explore", "--data", _folder.Path);

        Assert.Equal(ExitCodes.InputError, code);
        Assert.Equal($"mnistml: input error: cannot read {loop}: its symbolic links form a loop.{Environment.NewLine}", error);
    }

    [Fact]
    public void A_directory_given_as_the_model_is_named_with_6()
    {
        var (code, _, error) = CliHarness.Run(SummaryCommand.Create(), "summary", _folder.Path);

        Assert.Equal(ExitCodes.InputError, code);
        Assert.Equal($"mnistml: input error: cannot read {_folder.Path}: it is a directory, not a file.{Environment.NewLine}", error);
    }

    [Fact]
    public void Predict_names_a_directory_or_a_device_given_as_an_image_and_ends_with_6()
    {
        var model = Path.Combine(_folder.Path, "model.zip");
        TrainedDigitModel.Model.Save(model);
        var folder = Directory.CreateDirectory(Path.Combine(_folder.Path, "pictures")).FullName;

        var (code, _, error) = CliHarness.Run(PredictCommand.Create(), "predict", model, folder, "/dev/zero");

        Assert.Equal(ExitCodes.InputError, code);
        Assert.Equal(
            [$"mnistml: input error: cannot read {folder}: it is a directory, not a file.", "mnistml: input error: cannot read /dev/zero: it is a character device, not a regular file."],
            error.TrimEnd().Split(Environment.NewLine));
    }

    [Fact]
    public void A_full_disk_is_an_output_error_5_and_the_earlier_file_stays()
    {
        // A 64 KiB tmpfs in a mount namespace of the child's own: the ONNX file (~180 KB) cannot fit.
        var model = Path.Combine(_folder.Path, "model.zip");
        TrainedDigitModel.Model.Save(model);
        var disk = Directory.CreateDirectory(Path.Combine(_folder.Path, "disk")).FullName;
        var target = Path.Combine(disk, "model.onnx");
        var cli = Path.Combine(AppContext.BaseDirectory, "MnistMl.Cli");
        var script = $"mount -t tmpfs -o size=64k tmpfs '{disk}' && printf earlier > '{target}' && '{cli}' export '{model}' --onnx '{target}'; code=$?; cat '{target}'; echo; ls -a '{disk}'; exit $code";

        var (code, output, error) = Run("unshare", "--mount", "--map-root-user", "sh", "-c", script);

        Assert.Equal((ExitCodes.OutputError, $"mnistml: output error: cannot write {target}: no space left on the disk; the file is as it was.\n"), (code, error));
        Assert.Equal(["earlier", ".", "..", "model.onnx"], output.TrimEnd().Split('\n'));
    }

    private void LinkRealFiles(params string[] names)
    {
        foreach (var name in names)
        {
            File.CreateSymbolicLink(Path.Combine(_folder.Path, name), Path.Combine(MnistTestData.Folder, name));
        }
    }

    private static (int Code, string Output, string Error) Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), $"{program} did not end within 2 minutes.");
        return (process.ExitCode, output, error.Result);
    }
}
