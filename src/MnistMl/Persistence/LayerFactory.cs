using System.Text.Json;
using MnistMl.Nn;

namespace MnistMl.Persistence;

/// <summary>
/// Rebuilds a layer from its saved Keras class name and config: the reverse of each layer's
/// <c>GetConfig</c>. Every value is checked before a constructor sees it.
/// </summary>
internal static class LayerFactory
{
    /// <summary>The class names a model file may use.</summary>
    public static IReadOnlyList<string> KnownClassNames { get; } =
        ["InputLayer", "Conv2D", "MaxPooling2D", "Flatten", "Dropout", "Dense", "BatchNormalization", "Activation", "Ensemble"];

    /// <summary>Most dimensions an input shape may have.</summary>
    private const int MaxInputRank = 8;

    /// <exception cref="ModelFormatException">The class name is unknown, or a config value is missing, unknown or out of range.</exception>
    public static Layer Create(ModelManifest.LayerConfig saved, string fileName)
    {
        var name = saved.Name;
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ModelFormatException(fileName, $"a {saved.ClassName} layer has an empty name.");
        }

        var config = new ConfigReader(fileName, $"layer '{name}' ({saved.ClassName})", saved.Config);
        Layer layer = saved.ClassName switch
        {
            "InputLayer" => new InputLayer(InputShape(config, fileName, name), name),
            "Conv2D" => new Conv2D(
                config.Int("filters", 1),
                config.IntPair("kernel_size", 1),
                config.IntPair("strides", 1),
                config.Enum<Padding>("padding"),
                config.Enum<Activation>("activation"),
                name),
            "MaxPooling2D" => new MaxPooling2D(config.IntPair("pool_size", 1), config.IntPair("strides", 1), config.Enum<Padding>("padding"), name),
            "Flatten" => new Flatten(name),
            "Dropout" => new Dropout(config.Double("rate", r => r >= 0 && r < 1, "in [0, 1)"), name),
            "Dense" => new Dense(config.Int("units", 1), config.Enum<Activation>("activation"), name),
            "BatchNormalization" => new BatchNormalization(
                config.Double("momentum", m => m >= 0 && m < 1, "in [0, 1)"),
                config.Double("epsilon", e => e > 0, "above 0"),
                name),
            "Activation" => new ActivationLayer(config.Enum<Activation>("activation"), name),
            "Ensemble" => Ensemble(config.Element("members"), fileName, name),
            _ => throw new ModelFormatException(
                fileName, $"layer '{name}' has unknown type '{saved.ClassName}'; the known layer types are {string.Join(", ", KnownClassNames)}."),
        };
        config.ThrowIfUnknownKeys();
        return layer;
    }

    /// <summary>An ensemble from its members' saved layers: arrays of layer configs, read as strictly as the manifest.</summary>
    private static Ensemble Ensemble(JsonElement members, string fileName, string name)
    {
        ModelManifest.LayerConfig[][]? saved;
        try
        {
            saved = members.ValueKind == JsonValueKind.Array && members.GetArrayLength() <= Nn.Ensemble.MaxMembers
                ? members.Deserialize(ModelManifestJson.Default.LayerConfigArrayArray)
                : null;
        }
        catch (JsonException ex)
        {
            throw new ModelFormatException(fileName, $"layer '{name}' (Ensemble) has members that are not arrays of layers: {ex.Message}", ex);
        }

        if (saved is null || saved.Any(m => m is null || m.Any(l => l is null)))
        {
            throw new ModelFormatException(fileName, $"layer '{name}' (Ensemble) needs 'members': an array of up to {Nn.Ensemble.MaxMembers} arrays of layers.");
        }

        try
        {
            return new Ensemble([.. saved.Select(member => (IReadOnlyList<Layer>)[.. member.Select(layer => Create(layer, fileName))])], name);
        }
        catch (ArgumentException ex)
        {
            throw new ModelFormatException(fileName, $"layer '{name}' (Ensemble): {ex.Message}", ex);
        }
    }

    private static int[] InputShape(ConfigReader config, string fileName, string name)
    {
        var shape = config.Ints("shape", 1, 1, MaxInputRank);
        if (Shapes.SaturatingProduct(shape) > int.MaxValue)
        {
            throw new ModelFormatException(fileName, $"layer '{name}' (InputLayer) has shape {Shapes.Format(shape)}: more than {int.MaxValue:N0} values per sample.");
        }

        return shape;
    }
}
