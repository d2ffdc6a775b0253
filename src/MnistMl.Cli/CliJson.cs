using System.Text.Json;

namespace MnistMl.Cli;

/// <summary>How every <c>--json</c> output is written: camelCase keys on one line.</summary>
internal static class CliJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = false };
}
