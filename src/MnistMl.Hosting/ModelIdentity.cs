namespace MnistMl.Hosting;

/// <summary>Which model is live: what a health check reports and a log line names.</summary>
/// <param name="Sha256">SHA-256 of the model file's bytes, lower-case hex: equal for equal files.</param>
/// <param name="Preset">The network's name (the preset it was trained from, e.g. <c>cnn</c>).</param>
/// <param name="FilePath">Where it was loaded from.</param>
/// <param name="CreatedUtc">When the file was written, from its manifest.</param>
/// <param name="LoadedAtUtc">When this process loaded it.</param>
public sealed record ModelIdentity(string Sha256, string Preset, string FilePath, DateTime CreatedUtc, DateTimeOffset LoadedAtUtc);
