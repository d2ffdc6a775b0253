using System.CommandLine;
using MnistMl.Cli;
using MnistMl.Cli.Commands;

var root = new RootCommand("mnistml: explore MNIST, train, evaluate and predict handwritten digits.")
{
    ExploreCommand.Create(),
    TrainCommand.Create(),
    EvaluateCommand.Create(),
    PredictCommand.Create(),
    SummaryCommand.Create(),
    BenchCommand.Create(),
};
return CommandRunner.Run(root, args);
