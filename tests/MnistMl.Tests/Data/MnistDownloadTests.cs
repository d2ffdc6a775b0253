using System.Diagnostics;
using MnistMl.Data;

namespace MnistMl.Tests.Data;

/// <summary>
/// Downloads from <see cref="LoopbackMirror"/>s on 127.0.0.1 into a temporary cache. The failure
/// cases need only the test split, whose labels (4.5 KB) are fetched first.
/// </summary>
public sealed class MnistDownloadTests : IDisposable
{
    private const string TestLabels = "t10k-labels-idx1-ubyte.gz";
    private const string TestImages = "t10k-images-idx3-ubyte.gz";
    private static readonly string[] AllFourFiles =
        ["t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"];

    private readonly TempFolder _cache = new();

    public void Dispose() => _cache.Dispose();

    [Fact]
    public void Locate_downloads_all_four_files_into_the_cache_and_accepts_them_by_their_content_checksums()
    {
        // The training images here were recompressed: their .gz bytes differ from the public
        // mirrors' copy, and they pass only because the checksum is of the decompressed content.
        using var mirror = new LoopbackMirror(AllFourFiles.ToDictionary(name => name, name => new MirrorFile(MnistTestData.ReadFile(name))));
        var progress = new RecordingProgress();

        var folder = MnistDataLocator.Locate(Options(progress, mirror.BaseAddress));

        Assert.Equal(_cache.Path, folder);
        Assert.Equal(AllFourFiles, _cache.FileNames());
        foreach (var name in AllFourFiles)
        {
            Assert.Equal(MnistTestData.ReadFile(name), File.ReadAllBytes(Path.Combine(folder, name)));
            var last = progress.Reports.Last(r => r.FileName == name);
            Assert.Equal(last.TotalBytes, last.BytesReceived);
            Assert.Equal(new FileInfo(Path.Combine(folder, name)).Length, last.BytesReceived);
        }

        Assert.Equal([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009], MnistDataset.Load(folder, MnistSplit.Test).CountLabels());
    }

    [Fact]
    public void Locate_accepts_any_compression_of_the_right_content_and_an_uncompressed_copy()
    {
        var recompressedLabels = IdxBytes.Gzip(IdxBytes.Gunzip(MnistTestData.ReadFile(TestLabels)));
        Assert.NotEqual(MnistTestData.ReadFile(TestLabels), recompressedLabels);
        var rawImages = IdxBytes.Gunzip(MnistTestData.ReadFile(TestImages));
        using var mirror = new LoopbackMirror(new Dictionary<string, MirrorFile>
        {
            [TestLabels] = new(recompressedLabels),
            [TestImages] = new(rawImages),
        });

        var folder = MnistDataLocator.Locate(MnistSplit.Test, Options(null, mirror.BaseAddress));

        // Stored under the name that says what the bytes are, whatever the URL said.
        Assert.Equal(["t10k-images-idx3-ubyte", TestLabels], _cache.FileNames());
        Assert.Equal(10_000, MnistDataset.Load(folder, MnistSplit.Test).Count);
    }

    [Fact]
    public void Locate_rejects_a_corrupted_download_and_leaves_nothing_in_the_cache()
    {
        var corrupted = MnistTestData.ReadFile(TestLabels);
        for (var i = corrupted.Length / 2; i < (corrupted.Length / 2) + 16; i++)
        {
            corrupted[i] ^= 0xFF;
        }

        using var mirror = new LoopbackMirror(new Dictionary<string, MirrorFile> { [TestLabels] = new(corrupted) });

        var error = Assert.Throws<DataNotFoundException>(() => MnistDataLocator.Locate(MnistSplit.Test, Options(null, mirror.BaseAddress)));

        Assert.Contains($"{mirror.BaseAddress}{TestLabels}: rejected: ", error.Message, StringComparison.Ordinal);
        Assert.Empty(_cache.FileNames());
    }

    [Fact]
    public void Locate_rejects_a_valid_gzip_whose_content_fails_its_checksum_and_leaves_nothing_in_the_cache()
    {
        var labels = IdxBytes.Gunzip(MnistTestData.ReadFile(TestLabels));
        labels[^1] = (byte)((labels[^1] + 1) % 10); // still a well-formed labels file, but not MNIST's
        using var mirror = new LoopbackMirror(new Dictionary<string, MirrorFile> { [TestLabels] = new(IdxBytes.Gzip(labels)) });

        var error = Assert.Throws<DataNotFoundException>(() => MnistDataLocator.Locate(MnistSplit.Test, Options(null, mirror.BaseAddress)));

        Assert.Contains(
            $"{mirror.BaseAddress}{TestLabels}: rejected: SHA-256 of its content is ", error.Message, StringComparison.Ordinal);
        Assert.Contains("expected ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2", error.Message, StringComparison.Ordinal);
        Assert.Empty(_cache.FileNames());
    }

    [Fact]
    public void Locate_treats_a_connection_dropped_mid_body_as_a_failure_and_leaves_nothing_in_the_cache()
    {
        var labels = MnistTestData.ReadFile(TestLabels);
        using var mirror = new LoopbackMirror(new Dictionary<string, MirrorFile> { [TestLabels] = new(labels, MirrorBehaviour.DropMidBody) });

        var error = Assert.Throws<DataNotFoundException>(() => MnistDataLocator.Locate(MnistSplit.Test, Options(null, mirror.BaseAddress)));

        Assert.Contains($"{mirror.BaseAddress}{TestLabels}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{mirror.BaseAddress}{TestLabels}", error.SearchedLocations);
        Assert.Equal(1, mirror.RequestCount); // no mirror could deliver the labels, so the images were not tried
        Assert.Empty(_cache.FileNames());
    }

    [Fact]
    public void Locate_falls_back_to_the_next_mirror_when_the_first_fails()
    {
        using var failing = new LoopbackMirror(new Dictionary<string, MirrorFile>
        {
            [TestLabels] = new(MnistTestData.ReadFile(TestLabels), MirrorBehaviour.DropMidBody),
        });
        using var good = new LoopbackMirror(new Dictionary<string, MirrorFile>
        {
            [TestLabels] = new(MnistTestData.ReadFile(TestLabels)),
            [TestImages] = new(MnistTestData.ReadFile(TestImages)),
        });

        var folder = MnistDataLocator.Locate(MnistSplit.Test, Options(null, failing.BaseAddress, good.BaseAddress));

        Assert.Equal([TestImages, TestLabels], _cache.FileNames());
        Assert.Equal((2, 2), (failing.RequestCount, good.RequestCount)); // labels dropped, images 404
        Assert.Equal(10_000, MnistDataset.Load(folder, MnistSplit.Test).Count);
    }

    [Fact]
    public void Locate_gives_up_on_a_stalled_mirror_after_the_download_timeout()
    {
        using var mirror = new LoopbackMirror(new Dictionary<string, MirrorFile>
        {
            [TestLabels] = new(MnistTestData.ReadFile(TestLabels), MirrorBehaviour.StallAfterHeaders),
        });
        var options = Options(null, mirror.BaseAddress);
        options.DownloadTimeout = TimeSpan.FromMilliseconds(300);
        var clock = Stopwatch.StartNew();

        var error = Assert.Throws<DataNotFoundException>(() => MnistDataLocator.Locate(MnistSplit.Test, options));

        Assert.Contains($"{mirror.BaseAddress}{TestLabels}: timed out after 0.3 s", error.Message, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(10)); // timers may fire a tick early
        Assert.Empty(_cache.FileNames());
    }

    [Fact]
    public async Task LocateAsync_stops_when_cancelled_and_leaves_nothing_in_the_cache()
    {
        using var mirror = new LoopbackMirror(new Dictionary<string, MirrorFile>
        {
            [TestLabels] = new(MnistTestData.ReadFile(TestLabels), MirrorBehaviour.StallAfterHeaders),
        });
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => MnistDataLocator.LocateAsync(MnistSplit.Test, Options(null, mirror.BaseAddress), cancellation.Token));

        Assert.Equal(1, mirror.RequestCount);
        Assert.Empty(_cache.FileNames());
    }

    private MnistDataOptions Options(IProgress<MnistDownloadProgress>? progress, params Uri[] mirrors) => new()
    {
        UseEnvironmentVariable = false,
        CacheFolder = _cache.Path,
        Mirrors = mirrors,
        DownloadTimeout = TimeSpan.FromSeconds(20),
        Progress = progress,
    };

    /// <summary>Keeps every report, synchronously and in order (unlike <see cref="Progress{T}"/>, which posts them).</summary>
    private sealed class RecordingProgress : IProgress<MnistDownloadProgress>
    {
        private readonly List<MnistDownloadProgress> _reports = [];

        public IReadOnlyList<MnistDownloadProgress> Reports
        {
            get
            {
                lock (_reports)
                {
                    return _reports.ToArray();
                }
            }
        }

        public void Report(MnistDownloadProgress value)
        {
            lock (_reports)
            {
                _reports.Add(value);
            }
        }
    }
}
