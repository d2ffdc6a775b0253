using Spectre.Console;

namespace MnistMl.Cli;

/// <summary>
/// A Spectre console writing to the command's output: live and coloured on a terminal, plain text
/// when the output is redirected or captured (scripts, tests, CI).
/// </summary>
internal static class CliConsole
{
    public static IAnsiConsole Create(TextWriter output)
    {
        var terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Interactive = terminal ? InteractionSupport.Yes : InteractionSupport.No,
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
        if (!terminal)
        {
            // Captured output is read by scripts: never wrap a line.
            console.Profile.Width = 1000;
        }

        return console;
    }
}
