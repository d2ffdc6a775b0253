namespace MnistMl.Data;

/// <summary>
/// Finds a folder holding the MNIST files, downloading them when they are nowhere to be found.
/// </summary>
/// <remarks>
/// Places are tried in this order, and the first that holds every file needed wins:
/// <list type="number">
/// <item><see cref="MnistDataOptions.DataFolder"/>, when set; it is then the only place tried.</item>
/// <item>The folder in the <c>MNISTML_DATA</c> environment variable (unless <see cref="MnistDataOptions.UseEnvironmentVariable"/> is false).</item>
/// <item>The cache folder (<see cref="MnistDataOptions.CacheFolder"/>, else <see cref="DefaultCacheFolder"/>).</item>
/// <item>A download of the missing files from <see cref="MnistDataOptions.Mirrors"/> into the cache folder,
/// each verified by the SHA-256 of its decompressed content and renamed into place only once verified.</item>
/// </list>
/// When all fail, a <see cref="DataNotFoundException"/> lists the files needed and every place tried.
/// </remarks>
public static class MnistDataLocator
{
    private const string CacheHomeVariable = "XDG_CACHE_HOME";

    /// <summary>
    /// The per-user cache folder: <c>$XDG_CACHE_HOME/mnistml/mnist</c>, or
    /// <c>~/.cache/mnistml/mnist</c> when that variable is unset or not an absolute path.
    /// </summary>
    public static string DefaultCacheFolder =>
        CacheFolderFrom(Environment.GetEnvironmentVariable, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    /// <summary>Finds (or downloads) a folder holding all four MNIST files.</summary>
    /// <param name="options">Where to look and whether to download; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels a download in progress.</param>
    /// <returns>The full path of the folder.</returns>
    /// <exception cref="DataNotFoundException">The files are nowhere to be found and could not be downloaded.</exception>
    public static string Locate(MnistDataOptions? options = null, CancellationToken cancellationToken = default) =>
        LocateAsync(options, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Finds (or downloads) a folder holding the two files of <paramref name="split"/>.</summary>
    /// <param name="split">The split whose images and labels files are needed.</param>
    /// <param name="options">Where to look and whether to download; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels a download in progress.</param>
    /// <returns>The full path of the folder.</returns>
    /// <exception cref="DataNotFoundException">The files are nowhere to be found and could not be downloaded.</exception>
    public static string Locate(MnistSplit split, MnistDataOptions? options = null, CancellationToken cancellationToken = default) =>
        LocateAsync(split, options, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Finds (or downloads) a folder holding all four MNIST files.</summary>
    /// <param name="options">Where to look and whether to download; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels a download in progress.</param>
    /// <returns>The full path of the folder.</returns>
    /// <exception cref="DataNotFoundException">The files are nowhere to be found and could not be downloaded.</exception>
    public static Task<string> LocateAsync(MnistDataOptions? options = null, CancellationToken cancellationToken = default) =>
        LocateFilesAsync(MnistFile.All, options ?? new MnistDataOptions(), cancellationToken);

    /// <summary>Finds (or downloads) a folder holding the two files of <paramref name="split"/>.</summary>
    /// <param name="split">The split whose images and labels files are needed.</param>
    /// <param name="options">Where to look and whether to download; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels a download in progress.</param>
    /// <returns>The full path of the folder.</returns>
    /// <exception cref="DataNotFoundException">The files are nowhere to be found and could not be downloaded.</exception>
    public static Task<string> LocateAsync(MnistSplit split, MnistDataOptions? options = null, CancellationToken cancellationToken = default) =>
        LocateFilesAsync([MnistFile.Images(split), MnistFile.Labels(split)], options ?? new MnistDataOptions(), cancellationToken);

    internal static string CacheFolderFrom(Func<string, string?> environmentVariable, string homeFolder)
    {
        // The XDG spec says a relative value is invalid and must be ignored.
        var cacheHome = environmentVariable(CacheHomeVariable);
        var root = !string.IsNullOrEmpty(cacheHome) && Path.IsPathFullyQualified(cacheHome) ? cacheHome : Path.Combine(homeFolder, ".cache");
        return Path.Combine(root, "mnistml", "mnist");
    }

    private static async Task<string> LocateFilesAsync(IReadOnlyList<MnistFile> files, MnistDataOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options.Mirrors);
        if (options.DownloadTimeout <= TimeSpan.Zero && options.DownloadTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.DownloadTimeout, "DownloadTimeout must be positive or infinite.");
        }

        var log = new DataSearchLog();
        if (options.DataFolder is string dataFolder)
        {
            var folder = Path.GetFullPath(dataFolder);
            return HoldsAll(files, folder, $"folder {folder} (given explicitly)", log)
                ? folder
                : throw log.ToException(files, "A folder given explicitly is the only place looked at.");
        }

        if (options.UseEnvironmentVariable)
        {
            var variable = MnistDataOptions.Defaults.EnvironmentVariable;
            var value = options.ReadEnvironmentVariable(variable);
            if (string.IsNullOrWhiteSpace(value))
            {
                log.Note($"${variable}: not set");
            }
            else if (Path.GetFullPath(value) is var folder && HoldsAll(files, folder, $"${variable} folder {folder}", log))
            {
                return folder;
            }
        }

        var cache = Path.GetFullPath(
            options.CacheFolder ?? CacheFolderFrom(options.ReadEnvironmentVariable, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile)));
        if (HoldsAll(files, cache, $"cache folder {cache}", log))
        {
            return cache;
        }

        if (!options.AllowDownload)
        {
            throw log.ToException(files, "Downloads are turned off.");
        }

        if (options.Mirrors.Count == 0)
        {
            throw log.ToException(files, "No download mirrors are configured.");
        }

        try
        {
            Directory.CreateDirectory(cache);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            log.Note($"cache folder {cache} cannot be created ({ex.Message})");
            throw log.ToException(files);
        }

        var downloader = new MnistDownloader(options.Mirrors, options.DownloadTimeout, options.Progress);

        // Smallest first: a bad mirror shows up before the 10 MB training images are fetched.
        foreach (var file in files.Where(f => f.FindIn(cache) is null).OrderBy(f => f.Length))
        {
            if (!await downloader.DownloadAsync(file, cache, log, cancellationToken).ConfigureAwait(false))
            {
                throw log.ToException(files);
            }
        }

        return cache;
    }

    private static bool HoldsAll(IReadOnlyList<MnistFile> files, string folder, string description, DataSearchLog log)
    {
        var missing = files.Where(f => f.FindIn(folder) is null).ToList();
        if (missing.Count == 0)
        {
            return true;
        }

        var outcome = Directory.Exists(folder) ? $"missing {MnistFile.ListNames(missing)}" : "no such folder";
        log.Add(folder, description, outcome);
        return false;
    }
}
