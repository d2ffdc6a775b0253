using System.Text.Json;
using MnistMl.Cli.Commands;
using MnistMl.Tests.Data;
using MnistMl.Tests.Visualization;
using MnistMl.Visualization;

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

    [Fact]
    public void Explore_grid_writes_an_svg_of_the_first_training_digits_before_the_json_line()
    {
        var path = Path.Combine(_folder.Path, "grid.svg");

        var (code, output, error) = Run("explore", "--data", MnistTestData.Folder, "--grid", path, "--grid-rows", "2", "--grid-columns", "5", "--json");

        Assert.True(code == 0, error);
        var lines = output.TrimEnd().Split('\n');
        Assert.Equal($"Saved a 2×5 grid of training digits to {path}", lines[^2]);
        using var _ = JsonDocument.Parse(lines[^1]);
        var expected = DigitGrid.Render(MnistTestData.Train, rows: 2, columns: 5);
        Assert.Equal(expected.Pixels.ToArray(), SvgDocument.Repaint(File.ReadAllText(path)).Pixels.ToArray());
        Assert.Equal(["grid.svg"], _folder.FileNames());
    }

    [Fact]
    public void Explore_grid_png_goes_through_the_png_encoder_with_7_by_7_digits_by_default()
    {
        var path = Path.Combine(_folder.Path, "grid.png");

        var (code, _, error) = Run(MnistMl.Imaging.PngRgbWriter.Instance, "explore", "--data", MnistTestData.Folder, "--grid", path);

        Assert.True(code == 0, error);
        var (width, height, rgb) = TestPng.Read(File.ReadAllBytes(path));
        Assert.Equal((7 * 92, 7 * 112), (width, height));
        Assert.Equal(DigitGrid.Render(MnistTestData.Train).Pixels.ToArray(), rgb);
    }

    [Theory]
    [InlineData("grid.png", "this build of mnistml has no PNG encoder; name a .svg file instead.")]
    [InlineData("grid.jpg", "name a .svg or .png file.")]
    public void Explore_grid_to_a_file_it_cannot_write_is_a_usage_error_before_any_data_is_read(string name, string reason)
    {
        var path = Path.Combine(_folder.Path, name);

        var (code, output, error) = Run("explore", "--data", _folder.Path, "--grid", path);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal($"mnistml: usage error: --grid {path}: {reason}{Environment.NewLine}", error);
        Assert.Empty(_folder.FileNames());
    }

    [Fact]
    public void Explore_grid_rows_out_of_range_is_a_usage_error()
    {
        var (code, _, error) = Run("explore", "--data", _folder.Path, "--grid", "grid.svg", "--grid-rows", "0");

        Assert.Equal(2, code);
        Assert.Contains("--grid-rows must be 1–100, not 0.", error, StringComparison.Ordinal);
    }

    private static (int Code, string Output, string Error) Run(params string[] args) => Run(null, args);

    private static (int Code, string Output, string Error) Run(IPngWriter? png, params string[] args) => CliHarness.Run(ExploreCommand.Create(png), args);

    private static void AssertSplit(JsonElement split, int total, int[] counts)
    {
        Assert.Equal(total, split.GetProperty("total").GetInt32());
        Assert.Equal(counts, split.GetProperty("counts").EnumerateArray().Select(c => c.GetInt32()));
    }
}
