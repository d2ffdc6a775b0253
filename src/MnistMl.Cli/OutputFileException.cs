namespace MnistMl.Cli;

/// <summary>A file the command was asked to write cannot be written (exit code <see cref="ExitCodes.OutputError"/>).</summary>
internal sealed class OutputFileException(string path, Exception innerException)
    : Exception($"cannot write {path}: {innerException.Message}", innerException);
