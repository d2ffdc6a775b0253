using System.CommandLine;
using MnistMl.Cli;

namespace MnistMl.Tests.Cli;

/// <summary>Runs one command the way <c>mnistml</c> does, capturing what it writes.</summary>
internal static class CliHarness
{
    public static (int Code, string Output, string Error) Run(Command command, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = CommandRunner.Run(new RootCommand { command }, args, error, output);
        return (code, output.ToString(), error.ToString());
    }
}
