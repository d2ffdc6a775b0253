using System.CommandLine;
using MnistMl.Nn.Kernels;

namespace MnistMl.Cli;

/// <summary>The options several commands share, defined once so they read the same everywhere.</summary>
internal static class CliOptions
{
    public static Option<string?> Data() => new("--data")
    {
        Description = "Folder with the four MNIST IDX files (raw or .gz). Default: $MNISTML_DATA, then the user cache, then a download.",
    };

    public static Option<bool> Json() => new("--json")
    {
        Description = "End the output with one JSON value on the last line, for scripts.",
    };

    public static Option<int?> Threads() => new("--threads")
    {
        Description = "Worker threads (default: the processor count). Results are the same for any count.",
    };

    /// <summary>Applies <c>--threads</c>, rejecting counts below one.</summary>
    public static void ApplyThreads(int? threads)
    {
        if (threads is int count)
        {
            if (count < 1)
            {
                throw new ArgumentException($"--threads must be at least 1, not {count}.");
            }

            WorkerPool.MaxThreads = count;
        }
    }
}
