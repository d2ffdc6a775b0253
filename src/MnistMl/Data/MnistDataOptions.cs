namespace MnistMl.Data;

/// <summary>
/// Where <see cref="MnistDataLocator"/> looks for the MNIST files and how it downloads them when
/// they are nowhere to be found.
/// </summary>
public sealed class MnistDataOptions
{
    /// <summary>
    /// A folder that must hold the files. When set, it is the only place looked at: a folder
    /// without the files is an error, never a reason to download. Default: null.
    /// </summary>
    public string? DataFolder { get; set; }

    /// <summary>
    /// Whether the folder named by the <c>MNISTML_DATA</c> environment variable is looked at
    /// (after <see cref="DataFolder"/>, before the cache). Default: true.
    /// </summary>
    public bool UseEnvironmentVariable { get; set; } = true;

    /// <summary>
    /// The per-user cache folder that downloads go to and that is looked at before downloading.
    /// Default: null, meaning <see cref="MnistDataLocator.DefaultCacheFolder"/>.
    /// </summary>
    public string? CacheFolder { get; set; }

    /// <summary>Whether missing files may be downloaded into the cache folder. Default: true.</summary>
    public bool AllowDownload { get; set; } = true;

    /// <summary>
    /// Base addresses tried in order for each missing file; the file's name plus <c>.gz</c> is
    /// appended. Default: <see cref="Defaults.Mirrors"/>.
    /// </summary>
    public IReadOnlyList<Uri> Mirrors { get; set; } = Defaults.Mirrors;

    /// <summary>
    /// The longest one file's download from one mirror may take before the next mirror is tried.
    /// Default: <see cref="Defaults.DownloadTimeout"/>.
    /// </summary>
    public TimeSpan DownloadTimeout { get; set; } = Defaults.DownloadTimeout;

    /// <summary>Receives download progress; null for none. Reports come from the downloading thread.</summary>
    public IProgress<MnistDownloadProgress>? Progress { get; set; }

    /// <summary>Reads an environment variable; tests replace it to try <c>MNISTML_DATA</c> without changing the process's environment.</summary>
    internal Func<string, string?> ReadEnvironmentVariable { get; set; } = Environment.GetEnvironmentVariable;

    /// <summary>The default values of <see cref="MnistDataOptions"/>.</summary>
    public static class Defaults
    {
        /// <summary>The environment variable that names a folder with the MNIST files.</summary>
        public const string EnvironmentVariable = "MNISTML_DATA";

        /// <summary>Public copies of the MNIST files, in the order they are tried.</summary>
        public static IReadOnlyList<Uri> Mirrors { get; } =
        [
            new("https://ossci-datasets.s3.amazonaws.com/mnist/"),
            new("https://storage.googleapis.com/cvdf-datasets/mnist/"),
        ];

        /// <summary>Ten minutes: the 10 MB training images over a slow link, not a stalled one forever.</summary>
        public static TimeSpan DownloadTimeout { get; } = TimeSpan.FromMinutes(10);
    }
}
