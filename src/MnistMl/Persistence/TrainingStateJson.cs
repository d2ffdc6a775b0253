using System.Text.Json.Serialization;

namespace MnistMl.Persistence;

/// <summary>The JSON contract of the training state: camelCase, strict, and ±Infinity allowed (a callback's best figure starts there).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(TrainingStateFile.Document))]
internal sealed partial class TrainingStateJson : JsonSerializerContext;
