using System.Text.Json;
using MnistMl.Tests.Data;

namespace MnistMl.Tests.Cli;

/// <summary>
/// <c>mnistml train --resume</c> after a real <c>kill -9</c> of the training process at several
/// points: the final weights are those of the run that was never interrupted, bit for bit.
/// </summary>
public sealed class ResumeAfterKillTests : IDisposable
{
    private static readonly string[] Recipe = ["train", "--preset", "dnn", "--epochs", "3", "--seed", "4", "--data", MnistTestData.Folder, "--json"];

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("Training dnn")]   // while the data loads: nothing saved yet, the resumed run starts afresh
    [InlineData("Epoch 1:")]       // in epoch 2, or while epoch 1's checkpoint is written
    [InlineData("Epoch 3:")]       // after the last epoch: evaluating, or saving the finished model
    public void A_run_killed_at_any_point_and_resumed_ends_with_the_uninterrupted_weights(string killAfterLine)
    {
        var reference = WeightsSha256(Run(Path.Combine(_folder.Path, "reference.zip")));
        var model = Path.Combine(_folder.Path, "run.zip");

        using (var process = ChildProcess.StartCli([.. Recipe, "-o", model]))
        {
            string? line;
            while ((line = process.StandardOutput.ReadLine()) is not null && !line.StartsWith(killAfterLine, StringComparison.Ordinal))
            {
            }

            Assert.True(line is not null, $"the run ended before printing '{killAfterLine}'");
            process.Kill();
            process.WaitForExit();
        }

        var resumed = Run(model, "--resume");

        Assert.Equal(reference, WeightsSha256(resumed));
        Assert.Empty(Directory.GetFiles(_folder.Path, "*.tmp"));
    }

    private static string Run(string model, params string[] extra)
    {
        using var process = ChildProcess.StartCli([.. Recipe, "-o", model, .. extra]);
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), "training did not finish within 3 minutes");
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {error.Result}");
        return output;
    }

    private static string WeightsSha256(string output)
    {
        using var json = JsonDocument.Parse(output.TrimEnd().Split('\n')[^1]);
        return json.RootElement.GetProperty("weightsSha256").GetString()!;
    }
}
