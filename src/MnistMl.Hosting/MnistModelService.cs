using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MnistMl.Persistence;

namespace MnistMl.Hosting;

/// <summary>
/// The model an app serves, ready for any number of threads: no engine pooling to write.
/// It loads the file at start and, when asked to (<see cref="MnistModelServiceOptions.WatchForChanges"/>),
/// loads it again whenever it changes and swaps the new model in atomically: a request that has
/// begun finishes on the model it started with, later ones get the new one. A file that cannot be
/// loaded (damaged, half-written, not a model) is refused with a logged reason, and the model
/// already live keeps serving. <see cref="Current"/> says which model is live.
/// </summary>
public sealed partial class MnistModelService : IDisposable
{
    private readonly MnistModelServiceOptions _options;
    private readonly ILogger<MnistModelService> _logger;
    private readonly TimeProvider _time;
    private readonly Lock _reloading = new();
    private readonly FileSystemWatcher? _watcher;
    private readonly ITimer? _settle;
    private LiveModel _live;

    /// <summary>Loads the model; with watching on, starts following the file.</summary>
    /// <exception cref="ModelFormatException">The file is not a usable model: a service cannot start without one.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="FileAccessException">The path is not a readable regular file.</exception>
    public MnistModelService(IOptions<MnistModelServiceOptions> options, ILogger<MnistModelService> logger, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options.Value;
        ArgumentException.ThrowIfNullOrEmpty(_options.ModelPath, nameof(options));
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _live = Load(Path.GetFullPath(_options.ModelPath));
        LogLoaded(_live.Identity.FilePath, _live.Identity.Preset, _live.Identity.Sha256);
        if (_options.WatchForChanges)
        {
            var full = _live.Identity.FilePath;
            _settle = _time.CreateTimer(_ => ReloadFromWatcher(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _watcher = new FileSystemWatcher(Path.GetDirectoryName(full)!, Path.GetFileName(full))
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName | NotifyFilters.CreationTime,
            };
            _watcher.Changed += (_, _) => FileChanged();
            _watcher.Created += (_, _) => FileChanged();
            _watcher.Renamed += (_, e) =>
            {
                if (string.Equals(e.FullPath, full, StringComparison.Ordinal))
                {
                    FileChanged();
                }
            };
            _watcher.EnableRaisingEvents = true;
        }
    }

    /// <summary>The live model and its identity; read it once per request and use that.</summary>
    public LiveModel Current => Volatile.Read(ref _live);

    /// <summary>Raised after a new model was swapped in, with the new one.</summary>
    public event EventHandler<LiveModel>? ModelSwapped;

    /// <summary>Predicts on the live model. Thread-safe.</summary>
    public DigitPrediction Predict(DigitImage image) => Current.Model.Predict(image);

    /// <summary>
    /// Loads the file now and swaps it in if it is a usable model that differs from the live one;
    /// otherwise logs why and keeps the live model. Returns whether a new model went live.
    /// </summary>
    public bool Reload()
    {
        lock (_reloading)
        {
            var path = Current.Identity.FilePath;
            LiveModel next;
            try
            {
                next = Load(path);
            }
            catch (Exception ex) when (ex is MnistMlException or IOException)
            {
                LogRefused(path, ex.Message);
                return false;
            }

            if (next.Identity.Sha256 == Current.Identity.Sha256)
            {
                return false;
            }

            Volatile.Write(ref _live, next);
            LogSwapped(path, next.Identity.Preset, next.Identity.Sha256);
            try
            {
                ModelSwapped?.Invoke(this, next);
            }
            catch (Exception ex)
            {
                // The swap is done; a subscriber's failure must not undo it or reach the caller.
                LogHandlerFailed(ex);
            }

            return true;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _watcher?.Dispose();
        _settle?.Dispose();
    }

    /// <summary>A timer callback: an exception escaping it would end the process, so every one is logged here.</summary>
    private void ReloadFromWatcher()
    {
        try
        {
            Reload();
        }
        catch (Exception ex)
        {
            LogReloadFailed(Current.Identity.FilePath, ex);
        }
    }

    private void FileChanged() => _settle!.Change(_options.SettleDelay, Timeout.InfiniteTimeSpan);

    /// <summary>Reads the file once: the bytes hashed are the bytes loaded, whatever happens to the file meanwhile.</summary>
    private LiveModel Load(string path)
    {
        byte[] bytes;
        using (var file = InputFile.OpenRead(path))
        {
            if (file.Length > ModelFile.MaxFileBytes)
            {
                throw new ModelFormatException(path, $"larger than the {ModelFile.MaxFileBytes:N0} bytes a model file can be.");
            }

            bytes = new byte[file.Length];
            file.ReadExactly(bytes);
        }

        var model = MnistModel.Load(new MemoryStream(bytes, writable: false), path, _options.MaxWeights);
        var identity = new ModelIdentity(
            Convert.ToHexStringLower(SHA256.HashData(bytes)),
            model.Network.Name,
            path,
            model.Manifest?.CreatedUtc ?? default,
            _time.GetUtcNow());
        return new LiveModel(model, identity);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Serving model {Path}: {Preset}, sha256 {Sha256}")]
    private partial void LogLoaded(string path, string preset, string sha256);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Swapped in the changed model {Path}: {Preset}, sha256 {Sha256}")]
    private partial void LogSwapped(string path, string preset, string sha256);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Refused the changed model {Path}; the live model keeps serving. {Reason}")]
    private partial void LogRefused(string path, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "Reloading {Path} failed unexpectedly; the live model keeps serving")]
    private partial void LogReloadFailed(string path, Exception exception);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "A ModelSwapped handler threw; the new model is live")]
    private partial void LogHandlerFailed(Exception exception);
}
