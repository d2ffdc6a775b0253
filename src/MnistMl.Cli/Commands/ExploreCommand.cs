using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using MnistMl.Data;
using MnistMl.Visualization;
using Spectre.Console;

namespace MnistMl.Cli.Commands;

/// <summary>
/// <c>mnistml explore</c>: the notebooks' first look at the data, how many images each digit has,
/// and with <c>--grid</c> a picture of the first training digits with their labels.
/// </summary>
internal static class ExploreCommand
{
    /// <summary>The command; <paramref name="png"/> encodes <c>--grid FILE.png</c> (without it only <c>.svg</c> can be written).</summary>
    public static Command Create(IPngWriter? png = null)
    {
        var data = CliOptions.Data();
        var json = CliOptions.Json();
        var offline = new Option<bool>("--offline")
        {
            Description = "Never download; fail when the files are not found locally.",
        };

        var grid = new Option<string?>("--grid")
        {
            Description = "Also draw the first training digits with their labels into this picture (.svg or .png).",
        };
        var gridRows = new Option<int>("--grid-rows")
        {
            Description = $"Rows of digits in the --grid picture, 1–{DigitGrid.MaxCells}.",
            DefaultValueFactory = _ => 7,
        };
        var gridColumns = new Option<int>("--grid-columns")
        {
            Description = $"Columns of digits in the --grid picture, 1–{DigitGrid.MaxCells}.",
            DefaultValueFactory = _ => 7,
        };

        var command = new Command("explore", "Show label counts per split of the MNIST data, and optionally a grid of sample digits.")
        {
            data, json, offline, grid, gridRows, gridColumns,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var gridPath = parseResult.GetValue(grid);
            var (rows, columns) = (parseResult.GetValue(gridRows), parseResult.GetValue(gridColumns));
            if (gridPath is not null)
            {
                PictureFiles.CheckRasterPath("--grid", gridPath, png);
                CheckGridSide("--grid-rows", rows);
                CheckGridSide("--grid-columns", columns);
            }

            var options = new MnistDataOptions
            {
                DataFolder = parseResult.GetValue(data),
                AllowDownload = !parseResult.GetValue(offline),
                Progress = new DownloadProgressPrinter(parseResult.InvocationConfiguration.Error),
            };
            var folder = await MnistDataLocator.LocateAsync(options, cancellationToken).ConfigureAwait(false);
            var trainSet = MnistDataset.Load(folder, MnistSplit.Train);
            var train = trainSet.CountLabels();
            var test = MnistDataset.Load(folder, MnistSplit.Test).CountLabels();

            output.WriteLine($"MNIST in {folder}");
            WriteTable(output, train, test);
            if (gridPath is not null)
            {
                var shown = Math.Min(rows * columns, trainSet.Count);
                PictureFiles.SaveRaster(DigitGrid.Render(trainSet, rows, columns), gridPath, png, $"the first {shown} training digits with their labels");
                output.WriteLine($"Saved a {rows}×{columns} grid of training digits to {Path.GetFullPath(gridPath)}");
            }

            if (parseResult.GetValue(json))
            {
                var summary = new Dictionary<string, SplitLabelCounts>
                {
                    ["train"] = new(train.Sum(), train),
                    ["test"] = new(test.Sum(), test),
                };
                output.WriteLine(JsonSerializer.Serialize(summary, CliJson.Options));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static void CheckGridSide(string option, int value)
    {
        if (value is < 1 or > DigitGrid.MaxCells)
        {
            throw new ArgumentException($"{option} must be 1–{DigitGrid.MaxCells}, not {value}.");
        }
    }

    private static void WriteTable(TextWriter output, int[] train, int[] test)
    {
        var table = new Table()
            .AddColumn("digit")
            .AddColumn(new TableColumn("train").RightAligned())
            .AddColumn(new TableColumn("share").RightAligned())
            .AddColumn(new TableColumn("test").RightAligned())
            .AddColumn(new TableColumn("share").RightAligned());
        var trainTotal = train.Sum();
        var testTotal = test.Sum();
        for (var digit = 0; digit < train.Length; digit++)
        {
            table.AddRow(
                digit.ToString(CultureInfo.InvariantCulture),
                Count(train[digit]),
                Share(train[digit], trainTotal),
                Count(test[digit]),
                Share(test[digit], testTotal));
        }

        table.AddEmptyRow();
        table.AddRow("total", Count(trainTotal), Share(trainTotal, trainTotal), Count(testTotal), Share(testTotal, testTotal));

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        console.Write(table);
    }

    private static string Count(int count) => count.ToString("N0", CultureInfo.InvariantCulture);

    private static string Share(int count, int total) =>
        total == 0 ? "-" : (100.0 * count / total).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    /// <summary>One split in the <c>--json</c> output: <c>{"total":60000,"counts":[5923,...]}</c>.</summary>
    private sealed record SplitLabelCounts(int Total, int[] Counts);
}
