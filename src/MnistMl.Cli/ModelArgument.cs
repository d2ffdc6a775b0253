using System.CommandLine;
using MnistMl.Persistence;

namespace MnistMl.Cli;

/// <summary>The MODEL argument of evaluate, predict and summary, and loading it.</summary>
internal static class ModelArgument
{
    public static Argument<string> Create() => new("model") { Description = "A model .zip written by 'mnistml train'." };

    /// <summary>Loads the model; a missing file is a model-file error (exit code 4) like a damaged one.</summary>
    /// <exception cref="FileAccessException">The path is not a readable regular file (a directory, a named pipe, a device...).</exception>
    public static MnistModel Load(string path)
    {
        try
        {
            return MnistModel.Load(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ModelFormatException(path, "there is no such file.", ex);
        }
    }
}
