using MnistMl.Nn;

namespace MnistMl.Persistence;

/// <summary>
/// A model file's <c>preprocessing</c> steps and the grey-level scalings they stand for. Files
/// written by earlier versions may also hold <c>ImageReshaping</c> (a view of the same values in
/// another shape) and <c>OneHotEncoding</c> (of the labels) steps: they are checked and kept out
/// of prediction, which neither changes.
/// </summary>
internal static class PreprocessingSteps
{
    public const string PixelScaling = "PixelScaling";
    public const string ImageReshaping = "ImageReshaping";
    public const string OneHotEncoding = "OneHotEncoding";

    /// <summary>Most classes a saved one-hot encoding may declare.</summary>
    public const int MaxClassCount = 1 << 20;

    /// <summary>The steps that save <paramref name="scalings"/>, applied to <paramref name="column"/>.</summary>
    public static IReadOnlyList<ModelManifest.PreprocessingStep> ToSteps(IReadOnlyList<Transforms.PixelScaling> scalings, string column) =>
        [.. scalings.Select(s => new ModelManifest.PreprocessingStep
        {
            Type = PixelScaling,
            Parameters = ModelManifestJson.ToJson(new Dictionary<string, object>
            {
                ["inputColumn"] = column,
                ["outputColumn"] = column,
                ["offset"] = s.Offset,
                ["divisor"] = s.Divisor,
            }),
        })];

    /// <summary>The scalings the steps apply to grey levels, in order.</summary>
    /// <exception cref="ModelFormatException">A step's type is unknown, or a parameter is missing, unknown or out of range.</exception>
    public static IReadOnlyList<Transforms.PixelScaling> FromSteps(IReadOnlyList<ModelManifest.PreprocessingStep> steps, string fileName)
    {
        var scalings = new List<Transforms.PixelScaling>();
        for (var index = 0; index < steps.Count; index++)
        {
            var step = steps[index];
            if (step.Type is not (PixelScaling or ImageReshaping or OneHotEncoding))
            {
                throw new ModelFormatException(
                    fileName, $"preprocessing step {index} has unknown type '{step.Type}'; the known types are {PixelScaling}, {ImageReshaping}, {OneHotEncoding}.");
            }

            var parameters = new ConfigReader(fileName, $"preprocessing step {index} ({step.Type})", step.Parameters);
            parameters.String("inputColumn");
            parameters.String("outputColumn");
            switch (step.Type)
            {
                case PixelScaling:
                    scalings.Add(new Transforms.PixelScaling(
                        parameters.Single("offset", float.IsFinite, "(any finite value)"),
                        parameters.Single("divisor", d => float.IsFinite(d) && d >= Transforms.PixelScaling.MinDivisor, $"at least {Transforms.PixelScaling.MinDivisor:R}")));
                    break;
                case ImageReshaping:
                    int[] shape = [parameters.Int("height", 1), parameters.Int("width", 1), parameters.Int("channels", 1)];
                    if (Shapes.SaturatingProduct(shape) > int.MaxValue)
                    {
                        throw new ModelFormatException(
                            fileName, $"preprocessing step {index} ({ImageReshaping}) reshapes to [{string.Join(", ", shape)}]: more than {int.MaxValue:N0} values.");
                    }

                    break;
                default:
                    parameters.Int("classCount", 1, MaxClassCount);
                    break;
            }

            parameters.ThrowIfUnknownKeys();
        }

        return scalings;
    }
}
