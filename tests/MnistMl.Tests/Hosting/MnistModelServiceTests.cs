using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MnistMl.Hosting;
using MnistMl.Tests.Data;
using MnistMl.Tests.Imaging;

namespace MnistMl.Tests.Hosting;

/// <summary>The served model: loaded at start, swapped atomically when its file changes, never replaced by a bad file.</summary>
public sealed class MnistModelServiceTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly TempFolder _folder = new();
    private readonly string _path;

    public MnistModelServiceTests()
    {
        _path = Path.Combine(_folder.Path, "mnist.zip");
        TrainedDigitModel.Model.Save(_path);
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_new_file_is_swapped_in_while_eight_threads_predict_without_one_failure()
    {
        var logger = new RecordingLogger();
        using var service = Service(logger);
        var before = service.Current.Identity;
        var image = DigitImage.FromPixels(MnistTestData.Test.GetImage(0));
        var expected = service.Predict(image).Scores;
        using var stop = new CancellationTokenSource();
        var failures = 0;
        var predictions = 0;
        // Threads of their own (LongRunning): eight endless loops on the thread pool would starve
        // the timer and file-watcher callbacks that do the swap, on a 2-core machine busy with other tests.
        var clients = Enumerable.Range(0, 8).Select(_ => Task.Factory.StartNew(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    if (!service.Predict(image).Scores.AsSpan().SequenceEqual(expected))
                    {
                        Interlocked.Increment(ref failures);
                    }

                    Interlocked.Increment(ref predictions);
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();

        await Task.Delay(100);
        TrainedDigitModel.Model.Save(_path);   // the same network, a new file (its manifest's time differs)
        var swapped = await Until(() => service.Current.Identity.Sha256 != before.Sha256);
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        Assert.True(swapped, "the new file was not swapped in");
        Assert.Equal(0, failures);
        Assert.True(predictions > 0);
        Assert.Equal(Sha256(_path), service.Current.Identity.Sha256);
        Assert.True(service.Current.Identity.LoadedAtUtc > before.LoadedAtUtc);
        Assert.Contains(logger.Messages, m => m.StartsWith($"Information: Swapped in the changed model {_path}: dnn, sha256 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_damaged_or_half_written_file_is_refused_with_the_reason_and_the_live_model_keeps_serving()
    {
        var logger = new RecordingLogger();
        using var service = Service(logger);
        var live = service.Current;
        var good = await File.ReadAllBytesAsync(_path);

        await File.WriteAllBytesAsync(_path, good[..(good.Length / 2)]);   // as a copy caught halfway
        var refused = await Until(() => logger.Messages.Any(m => m.StartsWith("Warning: Refused", StringComparison.Ordinal)));

        Assert.True(refused, "the damaged file was not looked at");
        Assert.Same(live, service.Current);
        Assert.Contains(logger.Messages, m => m.StartsWith($"Warning: Refused the changed model {_path}; the live model keeps serving. {_path}: ", StringComparison.Ordinal));
        Assert.Equal(live.Model.Predict(DigitImage.FromPixels(MnistTestData.Test.GetImage(1))).Scores, service.Predict(DigitImage.FromPixels(MnistTestData.Test.GetImage(1))).Scores);

        await File.WriteAllBytesAsync(_path, good);   // the copy completes: the same model, nothing to swap
        Assert.False(service.Reload());
        Assert.Same(live, service.Current);
    }

    [Fact]
    public void Reload_on_demand_swaps_a_changed_file_even_without_watching()
    {
        using var service = Service(new RecordingLogger(), watch: false);
        var before = service.Current;

        TrainedDigitModel.Model.Save(_path);

        Assert.Same(before, service.Current);
        Assert.True(service.Reload());
        Assert.Equal(Sha256(_path), service.Current.Identity.Sha256);
        Assert.Equal("dnn", service.Current.Identity.Preset);
    }

    [Fact]
    public async Task A_ModelSwapped_handler_that_throws_is_logged_and_the_swap_stands()
    {
        var logger = new RecordingLogger();
        using var service = Service(logger);
        var before = service.Current.Identity;
        service.ModelSwapped += (_, _) => throw new InvalidOperationException("subscriber bug");

        TrainedDigitModel.Model.Save(_path);   // picked up by the watcher's timer, where an escaping exception would end the process
        var logged = await Until(() => logger.Messages.Any(m => m.StartsWith("Error: A ModelSwapped handler threw", StringComparison.Ordinal)));

        Assert.True(logged, "the handler's failure was not logged");
        Assert.NotEqual(before.Sha256, service.Current.Identity.Sha256);
        Assert.Equal(Sha256(_path), service.Current.Identity.Sha256);
    }

    [Fact]
    public void A_file_past_the_model_size_limit_is_refused_before_it_is_read()
    {
        var logger = new RecordingLogger();
        using var service = Service(logger, watch: false);
        using (var file = File.OpenWrite(_path))
        {
            file.SetLength(MnistMl.Persistence.ModelFile.MaxFileBytes + 1);   // sparse: takes no disk
        }

        Assert.False(service.Reload());
        Assert.Contains(logger.Messages, m => m.EndsWith($"{_path}: larger than the {MnistMl.Persistence.ModelFile.MaxFileBytes:N0} bytes a model file can be.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddMnistModel_loads_the_model_as_the_host_starts_and_a_bad_path_stops_the_start()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddMnistModel(_path);
        using var host = builder.Build();
        await host.StartAsync();
        var service = host.Services.GetRequiredService<MnistModelService>();
        Assert.Equal(Sha256(_path), service.Current.Identity.Sha256);
        await host.StopAsync();

        var broken = Host.CreateApplicationBuilder();
        broken.Services.AddMnistModel(Path.Combine(_folder.Path, "missing.zip"));
        using var brokenHost = broken.Build();
        await Assert.ThrowsAsync<FileNotFoundException>(() => brokenHost.StartAsync());
    }

    private MnistModelService Service(ILogger<MnistModelService> logger, bool watch = true) =>
        new(Options.Create(new MnistModelServiceOptions { ModelPath = _path, WatchForChanges = watch, SettleDelay = TimeSpan.FromMilliseconds(50) }), logger);

    private static async Task<bool> Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }

    private static string Sha256(string path) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));

    /// <summary>Keeps every message as "Level: text".</summary>
    private sealed class RecordingLogger : ILogger<MnistModelService>
    {
        private readonly List<string> _messages = [];

        public IReadOnlyList<string> Messages
        {
            get
            {
                lock (_messages)
                {
                    return [.. _messages];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_messages)
            {
                _messages.Add($"{logLevel}: {formatter(state, exception)}");
            }
        }
    }
}
