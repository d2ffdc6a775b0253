using System.CommandLine;
using MnistMl.Cli;
using MnistMl.Cli.Commands;

var root = new RootCommand("mnistml: explore MNIST, train, evaluate and predict handwritten digits.")
{
    ExploreCommand.Create(),
    BenchCommand.Create(),
};
return CommandRunner.Run(root, args);
