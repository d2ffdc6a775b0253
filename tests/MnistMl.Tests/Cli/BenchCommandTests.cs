using System.CommandLine;
using System.Text.Json;
using MnistMl.Cli;
using MnistMl.Cli.Commands;
using MnistMl.Nn.Kernels;
using MnistMl.Tests.Data;

namespace MnistMl.Tests.Cli;

public class BenchCommandTests
{
    [Fact]
    public void Bench_json_reports_the_figures_and_the_same_weights_fingerprint_for_1_2_and_8_threads()
    {
        var saved = WorkerPool.MaxThreads;
        try
        {
            var runs = new[] { 1, 2, 8 }.Select(threads => Bench("--preset", "cnn", "--data", MnistTestData.Folder, "--epochs", "1", "--train-limit", "1000", "--threads", $"{threads}", "--json")).ToList();
            foreach (var (run, threads) in runs.Zip([1, 2, 8]))
            {
                Assert.Equal("cnn", run.GetProperty("preset").GetString());
                Assert.Equal(1, run.GetProperty("epochs").GetInt32());
                Assert.Equal(threads, run.GetProperty("threads").GetInt32());
                Assert.Equal(1000, run.GetProperty("trainSamples").GetInt32());
                Assert.InRange(run.GetProperty("testAccuracy").GetDouble(), 0.5, 1.0);
                Assert.Single(run.GetProperty("epochSeconds").EnumerateArray());
                Assert.True(run.GetProperty("samplesPerSecond").GetDouble() > 0);
                Assert.True(run.GetProperty("peakMemoryMB").GetDouble() > 0);
                Assert.Matches("^[0-9a-f]{64}$", run.GetProperty("weightsSha256").GetString());
            }

            Assert.Single(runs.Select(r => r.GetProperty("weightsSha256").GetString()).Distinct());
        }
        finally
        {
            WorkerPool.MaxThreads = saved;
        }
    }

    [Fact]
    public void Bench_with_an_unknown_preset_is_a_usage_error()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = CommandRunner.Run(new RootCommand { BenchCommand.Create() }, ["bench", "--preset", "resnet"], error, output);
        Assert.Equal(2, code);
        Assert.Contains("Unknown preset 'resnet'", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--train-limit", "0", "--train-limit must be a whole number from 1 to 60,000, not '0'.")]
    [InlineData("--epochs", "-1", "--epochs must be a whole number from 1 to 100,000, not '-1'.")]
    public void Bench_refuses_an_out_of_range_number_naming_the_option(string option, string value, string message)
    {
        var (code, _, error) = CliHarness.Run(BenchCommand.Create(), "bench", "--preset", "dnn", option, value);

        Assert.Equal((2, $"mnistml: {message}{Environment.NewLine}Run 'mnistml --help' for usage.{Environment.NewLine}"), (code, error));
    }

    private static JsonElement Bench(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = CommandRunner.Run(new RootCommand { BenchCommand.Create() }, ["bench", .. args], error, output);
        Assert.True(code == 0, error.ToString());
        var lastLine = output.ToString().TrimEnd().Split('\n')[^1];
        return JsonDocument.Parse(lastLine).RootElement.Clone();
    }
}
