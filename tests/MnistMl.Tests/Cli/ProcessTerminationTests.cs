using System.Diagnostics;
using MnistMl.Cli;
using MnistMl.Tests.Data;

namespace MnistMl.Tests.Cli;

/// <summary>
/// Ctrl+C and SIGTERM sent to a real <c>mnistml</c> process (issue 14 #1): a second signal used to
/// abort the process (exit 134) and a first one during data loading or <c>evaluate</c> was ignored.
/// </summary>
public sealed class ProcessTerminationTests(TrainedModelFixture model) : IClassFixture<TrainedModelFixture>
{
    /// <summary>Longest a stopped process may take to end: the grace period and the runtime's shutdown.</summary>
    private static readonly TimeSpan StopWithin = ProcessTermination.GracePeriod + TimeSpan.FromSeconds(5);

    [Fact]
    public void Two_SIGTERMs_close_together_end_train_with_130_not_an_abort()
    {
        using var folder = new TempFolder();
        using var process = StartTrainingAndWaitForBanner(folder);

        ChildProcess.Signal(process, ChildProcess.SigTerm);
        Thread.Sleep(10);
        ChildProcess.Signal(process, ChildProcess.SigTerm);

        var (code, error) = WaitForExit(process);
        Assert.Equal(ExitCodes.Cancelled, code);
        Assert.Contains("mnistml: cancelled: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", error, StringComparison.Ordinal);
    }

    [Fact]
    public void One_Ctrl_C_while_train_loads_its_data_stops_it_with_130_and_saves_nothing()
    {
        using var folder = new TempFolder();
        using var process = StartTrainingAndWaitForBanner(folder);

        AssertCtrlCStops(process);
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public void One_Ctrl_C_during_evaluate_stops_it_with_130()
    {
        // 60,000 test images (the training files under the test files' names), so evaluate runs long
        // enough to be interrupted; the signal goes once the process has the images file open.
        using var data = new TempFolder();
        foreach (var (from, to) in new[] { ("train-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte.gz"), ("train-labels-idx1-ubyte.gz", "t10k-labels-idx1-ubyte.gz") })
        {
            File.CreateSymbolicLink(Path.Combine(data.Path, to), Path.Combine(MnistTestData.Folder, from));
        }

        using var process = ChildProcess.StartCli("evaluate", model.ModelPath, "--data", data.Path);
        WaitUntilReading(process, "train-images-idx3-ubyte.gz");

        AssertCtrlCStops(process);
    }

    /// <summary>One SIGINT: the command stops on its own, in time, with 130 and the one-line notice.</summary>
    private static void AssertCtrlCStops(Process process)
    {
        var stopwatch = Stopwatch.StartNew();
        ChildProcess.Signal(process, ChildProcess.SigInt);

        var (code, error) = WaitForExit(process);
        Assert.Equal(ExitCodes.Cancelled, code);
        Assert.Equal($"mnistml: cancelled: stopped on request.{Environment.NewLine}", error);
        Assert.True(stopwatch.Elapsed < StopWithin, $"took {stopwatch.Elapsed.TotalSeconds:F1} s to stop");
    }

    /// <summary>Starts a long training run; the banner is printed after the signal handlers are in place and before the data is read.</summary>
    private static Process StartTrainingAndWaitForBanner(TempFolder folder)
    {
        var process = ChildProcess.StartCli("train", "--preset", "dnn", "--epochs", "50", "--data", MnistTestData.Folder, "-o", Path.Combine(folder.Path, "m.zip"));
        var banner = process.StandardOutput.ReadLine();
        Assert.True(banner is not null && banner.StartsWith("Training dnn", StringComparison.Ordinal), $"unexpected first line: {banner}");
        return process;
    }

    private static void WaitUntilReading(Process process, string fileName)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            foreach (var descriptor in Directory.EnumerateFileSystemEntries($"/proc/{process.Id}/fd"))
            {
                try
                {
                    if (File.ResolveLinkTarget(descriptor, returnFinalTarget: false)?.FullName.EndsWith(fileName, StringComparison.Ordinal) == true)
                    {
                        return;
                    }
                }
                catch (IOException)
                {
                    // The descriptor closed while it was being looked at.
                }
            }

            Assert.False(process.HasExited, $"mnistml ended (exit {(process.HasExited ? process.ExitCode : 0)}) before it opened {fileName}.");
            Thread.Sleep(2);
        }

        Assert.Fail($"mnistml did not open {fileName} within 30 s.");
    }

    private static (int Code, string Error) WaitForExit(Process process)
    {
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("mnistml did not end within 60 s of the signal.");
        }

        return (process.ExitCode, error.Result);
    }
}
