using MnistMl.Data;

namespace MnistMl.Tests.Data;

public sealed class MnistDataLocatorTests : IDisposable
{
    private static readonly string[] FourFileNames =
        ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    private readonly TempFolder _emptyFolder = new();

    public void Dispose() => _emptyFolder.Dispose();

    [Fact]
    public void Locate_uses_an_explicit_folder_that_holds_the_files()
    {
        var folder = MnistDataLocator.Locate(new MnistDataOptions { DataFolder = MnistTestData.Folder, AllowDownload = false });

        Assert.Equal(MnistTestData.Folder, folder);
    }

    [Fact]
    public void Locate_rejects_an_explicit_folder_without_the_files_instead_of_looking_elsewhere_or_downloading()
    {
        using var mirror = new LoopbackMirror(new Dictionary<string, MirrorFile>());
        var options = new MnistDataOptions { DataFolder = _emptyFolder.Path, CacheFolder = MnistTestData.Folder, Mirrors = [mirror.BaseAddress] };

        var error = Assert.Throws<DataNotFoundException>(() => MnistDataLocator.Locate(MnistSplit.Test, options));

        Assert.Equal([_emptyFolder.Path], error.SearchedLocations);
        Assert.Contains(
            $"folder {_emptyFolder.Path} (given explicitly): missing t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, mirror.RequestCount);
    }

    [Fact]
    public void Locate_uses_the_MNISTML_DATA_folder_when_no_folder_is_given()
    {
        var folder = MnistDataLocator.Locate(new MnistDataOptions
        {
            CacheFolder = _emptyFolder.Path,
            AllowDownload = false,
            ReadEnvironmentVariable = name => name == "MNISTML_DATA" ? MnistTestData.Folder : null,
        });

        Assert.Equal(MnistTestData.Folder, folder);
    }

    [Fact]
    public void Locate_uses_the_cache_folder_when_it_holds_the_files()
    {
        var options = new MnistDataOptions { UseEnvironmentVariable = false, CacheFolder = MnistTestData.Folder, AllowDownload = false };

        Assert.Equal(MnistTestData.Folder, MnistDataLocator.Locate(options));
    }

    [Fact]
    public void Locate_without_data_or_downloads_names_the_four_files_and_every_place_tried_in_one_line()
    {
        var options = new MnistDataOptions { UseEnvironmentVariable = false, CacheFolder = _emptyFolder.Path, AllowDownload = false };

        var error = Assert.Throws<DataNotFoundException>(() => MnistDataLocator.Locate(options));

        Assert.All(FourFileNames, name => Assert.Contains(name, error.Message, StringComparison.Ordinal));
        Assert.Contains($"cache folder {_emptyFolder.Path}: missing", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("Downloads are turned off.", error.Message, StringComparison.Ordinal);
        Assert.Equal([_emptyFolder.Path], error.SearchedLocations);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Locate_looks_past_an_MNISTML_DATA_folder_without_the_files_to_the_cache()
    {
        var options = new MnistDataOptions
        {
            CacheFolder = MnistTestData.Folder,
            AllowDownload = false,
            ReadEnvironmentVariable = name => name == "MNISTML_DATA" ? _emptyFolder.Path : null,
        };

        Assert.Equal(MnistTestData.Folder, MnistDataLocator.Locate(options));
    }

    [Fact]
    public void Locate_reports_an_MNISTML_DATA_folder_without_the_files_among_the_places_tried()
    {
        var options = new MnistDataOptions
        {
            CacheFolder = Path.Combine(_emptyFolder.Path, "cache"),
            AllowDownload = false,
            ReadEnvironmentVariable = name => name == "MNISTML_DATA" ? _emptyFolder.Path : null,
        };

        var error = Assert.Throws<DataNotFoundException>(() => MnistDataLocator.Locate(options));

        Assert.Equal([_emptyFolder.Path, options.CacheFolder], error.SearchedLocations);
        Assert.Contains(
            $"Tried: $MNISTML_DATA folder {_emptyFolder.Path}: missing train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte; cache folder {options.CacheFolder}: no such folder.",
            error.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Locate_notes_an_unset_MNISTML_DATA_among_the_places_tried()
    {
        var options = new MnistDataOptions { CacheFolder = _emptyFolder.Path, AllowDownload = false, ReadEnvironmentVariable = _ => null };

        var error = Assert.Throws<DataNotFoundException>(() => MnistDataLocator.Locate(options));

        Assert.Contains("Tried: $MNISTML_DATA: not set; cache folder ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CacheFolder_is_under_XDG_CACHE_HOME_when_it_is_an_absolute_path()
    {
        var cacheHome = Path.Combine(Path.GetTempPath(), "xdg-cache");

        var folder = MnistDataLocator.CacheFolderFrom(name => name == "XDG_CACHE_HOME" ? cacheHome : null, "/home/someone");

        Assert.Equal(Path.Combine(cacheHome, "mnistml", "mnist"), folder);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("relative/cache")]
    public void CacheFolder_falls_back_to_dot_cache_in_the_home_folder_when_XDG_CACHE_HOME_is_unset_or_relative(string? cacheHome)
    {
        var home = Path.Combine(Path.GetTempPath(), "home-of-someone");

        var folder = MnistDataLocator.CacheFolderFrom(name => name == "XDG_CACHE_HOME" ? cacheHome : null, home);

        Assert.Equal(Path.Combine(home, ".cache", "mnistml", "mnist"), folder);
    }
}
