using System.Text.Json;
using MnistMl.Cli.Commands;
using MnistMl.Tests.Data;

namespace MnistMl.Tests.Cli;

public sealed class ExploreCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Explore_json_reports_the_published_label_counts_of_both_splits()
    {
        var (code, output, error) = Run("explore", "--data", MnistTestData.Folder, "--json");

        Assert.Equal(0, code);
        Assert.Equal("", error);
        var lines = output.TrimEnd().Split('\n');
        Assert.Contains(lines, line => line.Contains("60,000", StringComparison.Ordinal)); // the table's total row
        using var json = JsonDocument.Parse(lines[^1]);
        AssertSplit(json.RootElement.GetProperty("train"), 60_000, [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
        AssertSplit(json.RootElement.GetProperty("test"), 10_000, [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    }

    [Fact]
    public void Explore_returns_3_with_a_one_line_reason_for_a_corrupt_idx_file()
    {
        _folder.Write("train-images-idx3-ubyte", IdxBytes.UnsignedByteFile(2, 28, 28));
        _folder.Write("train-labels-idx1-ubyte", [.. IdxBytes.Header(IdxBytes.UnsignedByte, 2), 3, 4]);
        _folder.Write("t10k-images-idx3-ubyte", IdxBytes.UnsignedByteFile(1, 28, 28));
        var corrupt = _folder.Write("t10k-labels-idx1-ubyte", [0x00, 0x00, 0x08]);

        var (code, output, error) = Run("explore", "--data", _folder.Path, "--json");

        Assert.Equal(3, code);
        Assert.Equal("", output);
        Assert.Equal(
            $"mnistml: data error: {corrupt}: truncated header: it ends after 3 bytes, but the header needs 4{Environment.NewLine}",
            error);
    }

    [Fact]
    public void Explore_returns_3_when_the_given_folder_lacks_the_files()
    {
        var (code, _, error) = Run("explore", "--data", _folder.Path);

        Assert.Equal(3, code);
        Assert.StartsWith("mnistml: data error: MNIST data not found.", error, StringComparison.Ordinal);
        Assert.Contains(_folder.Path, error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    private static (int Code, string Output, string Error) Run(params string[] args) => CliRun.Run(ExploreCommand.Create(), args);

    private static void AssertSplit(JsonElement split, int total, int[] counts)
    {
        Assert.Equal(total, split.GetProperty("total").GetInt32());
        Assert.Equal(counts, split.GetProperty("counts").EnumerateArray().Select(c => c.GetInt32()));
    }
}
