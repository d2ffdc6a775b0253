using System.CommandLine;
using System.Globalization;
using MnistMl.Nn.Kernels;

namespace MnistMl.Cli;

/// <summary>The options several commands share, defined once so they read the same everywhere.</summary>
internal static class CliOptions
{
    /// <summary>Images in MNIST's training set: the largest batch, the largest training slice.</summary>
    public const int TrainingImages = 60_000;

    /// <summary>Most epochs a run may ask for (MNIST's cnn takes about 10 s an epoch here).</summary>
    private const int MaxEpochs = 100_000;

    public static Option<int?> Epochs() => WholeNumber("--epochs", "Epochs, at least 1 (default: the preset's).", 1, MaxEpochs);

    public static Option<string?> Data() => new("--data")
    {
        Description = "Folder with the four MNIST IDX files (raw or .gz). Default: $MNISTML_DATA, then the user cache, then a download.",
    };

    public static Option<bool> Json() => new("--json")
    {
        Description = "End the output with one JSON value on the last line, for scripts.",
    };

    public static Option<int?> Threads() => WholeNumber("--threads", $"Worker threads, 1 to {WorkerPool.MaxThreadLimit} (default: the processor count). Results are the same for any count.", 1, WorkerPool.MaxThreadLimit);

    /// <summary>An optional whole-number option from <paramref name="min"/> to <paramref name="max"/>; anything else is a usage error naming the option.</summary>
    public static Option<int?> WholeNumber(string name, string description, int min, int max) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            var token = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Join(' ', result.Tokens.Select(t => t.Value));
            if (int.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            {
                return value;
            }

            result.AddError($"{name} must be a whole number from {min:N0} to {max:N0}, not '{token}'.");
            return null;
        },
    };

    /// <summary>An optional number option that must satisfy <paramref name="isValid"/> (<paramref name="rule"/> says how); anything else is a usage error naming the option.</summary>
    public static Option<double?> Number(string name, string description, Func<double, bool> isValid, string rule) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            var token = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Join(' ', result.Tokens.Select(t => t.Value));
            if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && isValid(value))
            {
                return value;
            }

            result.AddError($"{name} must be {rule}, not '{token}'.");
            return null;
        },
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
