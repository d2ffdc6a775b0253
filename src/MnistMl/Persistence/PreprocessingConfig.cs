using MnistMl.Nn;
using MnistMl.Transforms;

namespace MnistMl.Persistence;

/// <summary>
/// The preprocessing transformers as saved steps and back: pixel scaling, image reshaping and
/// one-hot encoding, each with the parameters that rebuild it exactly.
/// </summary>
internal static class PreprocessingConfig
{
    public const string PixelScaling = "PixelScaling";
    public const string ImageReshaping = "ImageReshaping";
    public const string OneHotEncoding = "OneHotEncoding";

    /// <summary>Most classes a saved one-hot encoding may have: its output vector is allocated per reader.</summary>
    public const int MaxClassCount = 1 << 20;

    /// <summary>The saved steps of <paramref name="preprocessing"/>: one transformer, or a chain of them (nested chains are flattened).</summary>
    /// <exception cref="ArgumentException">A transformer is of a kind a model file cannot hold.</exception>
    public static IReadOnlyList<ModelManifest.PreprocessingStep> ToSteps(ITransformer? preprocessing) =>
        preprocessing is null ? [] : [.. Flatten(preprocessing).Select(ToStep)];

    /// <summary>Rebuilds step <paramref name="index"/>.</summary>
    /// <exception cref="ModelFormatException">The type is unknown, or a parameter is missing, unknown or out of range.</exception>
    public static ITransformer FromStep(ModelManifest.PreprocessingStep step, int index, string fileName)
    {
        var parameters = new ConfigReader(fileName, $"preprocessing step {index} ({step.Type})", step.Parameters);
        ITransformer transformer = step.Type switch
        {
            PixelScaling => new PixelScalingTransformer(
                parameters.String("inputColumn"),
                parameters.String("outputColumn"),
                parameters.Single("offset", _ => true, "(any finite value)"),
                parameters.Single("divisor", d => d > 0, "above 0")),
            ImageReshaping => Reshaping(parameters, fileName, index),
            OneHotEncoding => new OneHotEncodingTransformer(new OneHotEncodingEstimator.Options
            {
                InputColumnName = parameters.String("inputColumn"),
                OutputColumnName = parameters.String("outputColumn"),
                ClassCount = parameters.Int("classCount", 1, MaxClassCount),
            }),
            _ => throw new ModelFormatException(
                fileName, $"preprocessing step {index} has unknown type '{step.Type}'; the known types are {PixelScaling}, {ImageReshaping}, {OneHotEncoding}."),
        };
        parameters.ThrowIfUnknownKeys();
        return transformer;
    }

    private static IEnumerable<ITransformer> Flatten(ITransformer transformer) =>
        transformer is IEnumerable<ITransformer> chain ? chain.SelectMany(Flatten) : [transformer];

    private static ModelManifest.PreprocessingStep ToStep(ITransformer transformer) => transformer switch
    {
        PixelScalingTransformer t => Step(PixelScaling, t, new() { ["offset"] = t.Offset, ["divisor"] = t.Divisor }),
        ImageReshapingTransformer t => Step(ImageReshaping, t, new() { ["height"] = t.Height, ["width"] = t.Width, ["channels"] = t.Channels }),
        OneHotEncodingTransformer t => Step(OneHotEncoding, t, new() { ["classCount"] = t.ClassCount }),
        _ => throw new ArgumentException(
            $"A {transformer.GetType().Name} cannot be saved in a model file; the preprocessing it holds is {PixelScaling}, {ImageReshaping} and {OneHotEncoding}.",
            nameof(transformer)),
    };

    private static ModelManifest.PreprocessingStep Step(string type, OneToOneColumnTransformer transformer, Dictionary<string, object> parameters)
    {
        Dictionary<string, object> all = new() { ["inputColumn"] = transformer.InputColumnName, ["outputColumn"] = transformer.OutputColumnName };
        foreach (var (key, value) in parameters)
        {
            all[key] = value;
        }

        return new() { Type = type, Parameters = ModelManifestJson.ToJson(all) };
    }

    private static ImageReshapingTransformer Reshaping(ConfigReader parameters, string fileName, int index)
    {
        var options = new ImageReshapingEstimator.Options
        {
            InputColumnName = parameters.String("inputColumn"),
            OutputColumnName = parameters.String("outputColumn"),
            Height = parameters.Int("height", 1),
            Width = parameters.Int("width", 1),
            Channels = parameters.Int("channels", 1),
        };
        if (Shapes.SaturatingProduct([options.Height, options.Width, options.Channels]) > int.MaxValue)
        {
            throw new ModelFormatException(
                fileName, $"preprocessing step {index} ({ImageReshaping}) reshapes to [{options.Height}, {options.Width}, {options.Channels}]: more than {int.MaxValue:N0} values.");
        }

        return new ImageReshapingTransformer(options);
    }
}
