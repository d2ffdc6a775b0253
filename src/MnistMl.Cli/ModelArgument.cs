using System.CommandLine;
using MnistMl.Persistence;

namespace MnistMl.Cli;

/// <summary>The MODEL argument of evaluate, predict and summary, and loading it.</summary>
internal static class ModelArgument
{
    public static Argument<string> Create() => new("model") { Description = "A model .zip written by 'mnistml train'." };

    /// <summary>Whether a command-line token names a model file rather than a picture: model files are <c>.zip</c>s.</summary>
    public static bool NamesModel(string token) => token.EndsWith(".zip", StringComparison.OrdinalIgnoreCase);

    /// <summary>Loads the model; a missing file is a model-file error (exit code 4) like a damaged one.</summary>
    /// <exception cref="FileAccessException">The path is not a readable regular file (a directory, a named pipe, a device...).</exception>
    public static MnistModel Load(string path) => Loading(path, () => MnistModel.Load(path, MaxWeights()));

    /// <summary>Runs <paramref name="load"/>, which loads the model at <paramref name="path"/>, with a missing file made a model-file error.</summary>
    public static T Loading<T>(string path, Func<T> load)
    {
        try
        {
            return load();
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ModelFormatException(path, "there is no such file.", ex);
        }
    }

    /// <summary>The environment variable that lowers the largest model a command will load.</summary>
    public const string MaxWeightsVariable = "MNISTML_MAX_MODEL_WEIGHTS";

    /// <summary>The largest model to load, in weights: <c>MNISTML_MAX_MODEL_WEIGHTS</c>, else the format's limit.</summary>
    /// <exception cref="ArgumentException">The variable is not a whole number in range.</exception>
    public static long MaxWeights()
    {
        var value = Environment.GetEnvironmentVariable(MaxWeightsVariable);
        if (string.IsNullOrEmpty(value))
        {
            return ModelFile.MaxWeightCount;
        }

        return long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var limit) && limit is >= 1 and <= ModelFile.MaxWeightCount
            ? limit
            : throw new ArgumentException($"{MaxWeightsVariable} must be a whole number of weights from 1 to {ModelFile.MaxWeightCount:N0}, not '{value}'.");
    }
}
