using System.Reflection;

namespace MnistMl;

/// <summary>The version MnistMl writes into the files it makes (model manifests, ONNX producer version).</summary>
internal static class MnistMlVersion
{
    /// <summary>The assembly's informational version; every MnistMl assembly is built with the same one.</summary>
    public static string Informational { get; } =
        typeof(MnistMlVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(MnistMlVersion).Assembly.GetName().Version?.ToString()
        ?? "unknown";
}
