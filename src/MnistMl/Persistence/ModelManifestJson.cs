using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MnistMl.Persistence;

/// <summary>
/// The JSON contract of <see cref="ModelManifest"/>, generated at compile time: camelCase names,
/// nulls left out, and strict reading (unknown properties, missing required ones and nulls where
/// values belong are errors).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(ModelManifest))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(float))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int[]))]
[JsonSerializable(typeof(ModelManifest.LayerConfig[][]))]
internal sealed partial class ModelManifestJson : JsonSerializerContext
{
    /// <summary>
    /// The contract for writing: as <see cref="JsonSerializerContext"/>'s default, but writing
    /// characters such as '+' and non-ASCII names as themselves: the manifest is a file people
    /// read, never embedded in HTML.
    /// </summary>
    public static ModelManifestJson Writing => field ??= new(new JsonSerializerOptions(Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    /// <summary>A config as JSON values: the numbers, strings, flags and int arrays that GetConfig methods return.</summary>
    /// <exception cref="NotSupportedException">A value is of another type (a bug in a GetConfig).</exception>
    public static IReadOnlyDictionary<string, JsonElement> ToJson(IReadOnlyDictionary<string, object> config) =>
        config.ToDictionary(p => p.Key, p => JsonSerializer.SerializeToElement(p.Value, p.Value.GetType(), Writing), StringComparer.Ordinal);
}
