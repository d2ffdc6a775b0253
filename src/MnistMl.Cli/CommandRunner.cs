using System.CommandLine;
using MnistMl.Data;

namespace MnistMl.Cli;

/// <summary>
/// Runs the parsed command and turns the library's typed exceptions into one-line messages on
/// standard error and the documented exit codes.
/// </summary>
internal static class CommandRunner
{
    /// <summary>Parses <paramref name="args"/>, runs the command and returns the process exit code.</summary>
    /// <param name="root">The command tree.</param>
    /// <param name="args">The command line, without the program name.</param>
    /// <param name="error">Where errors (and download progress) go; standard error when null.</param>
    /// <param name="output">Where the command writes its results; standard output when null.</param>
    /// <param name="cancellationToken">Asks the command to stop; it then ends with <see cref="ExitCodes.Cancelled"/>.</param>
    public static int Run(RootCommand root, string[] args, TextWriter? error = null, TextWriter? output = null, CancellationToken cancellationToken = default)
    {
        error ??= Console.Error;
        output ??= Console.Out;
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors)
            {
                error.WriteLine($"mnistml: {e.Message}");
            }

            error.WriteLine("Run 'mnistml --help' for usage.");
            return ExitCodes.UsageError;
        }

        try
        {
            var configuration = new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null, Output = output, Error = error };
            // A command stopped by a signal throws OperationCanceledException (130); one that was
            // done anyway, or that stops by design (serve), returns its own code.
            return parse.InvokeAsync(configuration, cancellationToken).GetAwaiter().GetResult();
        }
        catch (Exception ex)
        {
            var (code, kind) = Classify(ex);
            error.WriteLine($"mnistml: {kind}: {(ex is OperationCanceledException ? "stopped on request." : ex.Message)}");
            return code;
        }
    }

    internal static (int Code, string Kind) Classify(Exception ex) => ex switch
    {
        OperationCanceledException => (ExitCodes.Cancelled, "cancelled"),
        DataFormatException or DataNotFoundException or DataValueException or Imaging.ImageFormatException or Imaging.ImageCodecNotFoundException => (ExitCodes.DataError, "data error"),
        Persistence.ModelFormatException => (ExitCodes.ModelFileError, "model file error"),
        Persistence.FileAccessException { Access: Persistence.FileAccessKind.Read } => (ExitCodes.InputError, "input error"),
        Persistence.FileAccessException => (ExitCodes.OutputError, "output error"),
        Nn.Onnx.OnnxExportException => (ExitCodes.ModelFileError, "model file error"),
        SchemaMismatchException => (ExitCodes.UsageError, "schema error"),
        Training.TrainingDivergedException => (ExitCodes.TrainingDiverged, "training error"),
        ArgumentException => (ExitCodes.UsageError, "usage error"),
        _ => (ExitCodes.UnexpectedFailure, "unexpected failure"),
    };
}
