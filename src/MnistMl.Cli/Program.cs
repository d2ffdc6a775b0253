using System.CommandLine;
using MnistMl.Cli;
using MnistMl.Cli.Commands;
using MnistMl.Imaging;
using MnistMl.Visualization;

// The encoder behind `explore --grid FILE.png`: the library's managed PNG encoder.
IPngWriter png = PngRgbWriter.Instance;

var root = new RootCommand("mnistml: explore MNIST, train, evaluate and predict handwritten digits.")
{
    ExploreCommand.Create(png),
    TrainCommand.Create(),
    EvaluateCommand.Create(),
    PredictCommand.Create(),
    SummaryCommand.Create(),
    ExportCommand.Create(),
    ReportCommand.Create(),
    BenchCommand.Create(),
    ServeCommand.Create(),
};
using var termination = new ProcessTermination(Console.Error);
return CommandRunner.Run(root, args, cancellationToken: termination.Token);
