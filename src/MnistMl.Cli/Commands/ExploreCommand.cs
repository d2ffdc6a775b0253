using System.CommandLine;

namespace MnistMl.Cli.Commands;

/// <summary><c>mnistml explore</c>: the notebooks' first look at the data.</summary>
internal static class ExploreCommand
{
    public static Command Create()
    {
        var command = new Command("explore", "Show label counts per split of the MNIST data.");
        command.SetAction(_ => ExitCodes.Success);
        return command;
    }
}
