using System.CommandLine;
using MnistMl.Cli;

namespace MnistMl.Tests.Cli;

/// <summary>Runs one command of the tool as <c>mnistml</c> would, capturing its exit code, output and errors.</summary>
internal static class CliRun
{
    public static (int Code, string Output, string Error) Run(Command command, params string[] args)
    {
        var root = new RootCommand { command };
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = CommandRunner.Run(root, args, error, output);
        return (code, output.ToString(), error.ToString());
    }
}
