using System.CommandLine;
using MnistMl.Cli;
using MnistMl.Cli.Commands;
using MnistMl.Visualization;

// The encoder behind `explore --grid FILE.png`. None is built in yet, so such a request is refused
// with a usage error naming .svg instead; the image encoder plugs in here.
IPngWriter? png = null;

var root = new RootCommand("mnistml: explore MNIST, train, evaluate and predict handwritten digits.")
{
    ExploreCommand.Create(png),
    TrainCommand.Create(),
    EvaluateCommand.Create(),
    PredictCommand.Create(),
    SummaryCommand.Create(),
    ReportCommand.Create(),
    BenchCommand.Create(),
};
return CommandRunner.Run(root, args);
