using System.Diagnostics;
using System.Runtime.InteropServices;

namespace MnistMl.Tests;

/// <summary>Builds and runs a project of this repository (or a generated one) with <c>dotnet run</c>, as a separate process.</summary>
internal static class ChildProcess
{
    /// <summary>The folder holding MnistMl.sln, found upwards from the test assembly.</summary>
    public static string RepositoryRoot()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "MnistMl.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException($"No MnistMl.sln above {AppContext.BaseDirectory}.");
        }

        return root;
    }

    /// <summary><c>dotnet run --project <paramref name="project"/> -c Release -- args</c>: its exit code and everything it printed.</summary>
    public static (int ExitCode, string Output) DotnetRun(string project, IEnumerable<string> args, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null, int timeoutMinutes = 8)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory };
        foreach (var arg in (string[])["run", "--project", project, "-c", "Release", "--", .. args])
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(timeoutMinutes)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet run --project {project} ran for over {timeoutMinutes} minutes.");
        }

        return (process.ExitCode, stdout + stderr.Result);
    }

    /// <summary>
    /// Starts the built <c>mnistml</c> (the CLI's apphost, copied beside the tests) with
    /// <paramref name="args"/>, standard output and error redirected: for tests that must signal
    /// or kill the process, which <c>dotnet run</c> would stand between.
    /// </summary>
    public static Process StartCli(params string[] args) => StartCli(args, new Dictionary<string, string>());

    /// <summary><see cref="StartCli(string[])"/> with variables added to its environment.</summary>
    public static Process StartCli(IEnumerable<string> args, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "MnistMl.Cli")) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return Process.Start(start)!;
    }

    public const int SigInt = 2;
    public const int SigTerm = 15;

    /// <summary>Sends <paramref name="signal"/> to the process (Process.Kill only sends SIGKILL).</summary>
    public static void Signal(Process process, int signal) =>
        Assert.True(Kill(process.Id, signal) == 0, $"kill({process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
