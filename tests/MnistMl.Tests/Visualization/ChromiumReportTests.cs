using System.Diagnostics;
using MnistMl.Tests.Data;
using MnistMl.Visualization;

namespace MnistMl.Tests.Visualization;

/// <summary>
/// Proof that a person opening the report sees it: headless Chromium loads the page from disk with
/// no network, prints the DOM it built and takes a screenshot, which must show the pictures. Chromium
/// missing is a failure (the README's test command installs Debian's <c>chromium</c> through
/// <c>tests/install-prerequisites.sh</c>), never a skip.
/// </summary>
public sealed class ChromiumReportTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Report_renders_in_headless_chromium_with_its_text_and_pictures()
    {
        var report = ModelReport.Create(TinyModel.Model, TinyModel.Test, title: "Tiny dnn & friends");
        var page = Path.Combine(_folder.Path, "report.html");
        report.Save(page);
        var screenshot = Path.Combine(_folder.Path, "screenshot.png");

        var (exitCode, dom, log) = RunChromium(new Uri(page).AbsoluteUri, screenshot);

        Assert.True(exitCode == 0, $"chromium exited with {exitCode}:\n{log}");
        Assert.Contains("<h1>Tiny dnn &amp; friends</h1>", dom, StringComparison.Ordinal);
        Assert.Contains("Confusion matrix", dom, StringComparison.Ordinal);
        Assert.Contains("Most confident mistakes", dom, StringComparison.Ordinal);
        Assert.Contains($"{report.Metrics.MicroAccuracy:F4}", dom, StringComparison.Ordinal);
        Assert.Equal(report.Mistakes.Count, CountOf(dom, "<figure class=\"mistake\""));

        var (width, height, rgb) = TestPng.Read(File.ReadAllBytes(screenshot));
        Assert.Equal((1200, 2000), (width, height));
        var colors = new HashSet<int>();
        var inked = 0;
        for (var i = 0; i < rgb.Length; i += 3)
        {
            colors.Add((rgb[i] << 16) | (rgb[i + 1] << 8) | rgb[i + 2]);
            inked += rgb[i] + rgb[i + 1] + rgb[i + 2] < 3 * 240 ? 1 : 0;
        }

        Assert.True(colors.Count > 200, $"{colors.Count} distinct colours: the pictures did not render");
        Assert.True(inked > width * height / 50, $"only {inked} of {width * height} pixels are not near white");
        Assert.Contains((31 << 16) | (119 << 8) | 180, colors);  // the training curve's blue
        Assert.Contains((255 << 16) | (127 << 8) | 14, colors);  // the validation curve's orange
        Assert.Contains((203 << 16) | (24 << 8) | 29, colors);   // the heat map's most common mistake
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;

    /// <summary>Runs Chromium headless on <paramref name="url"/>; kills it (and its children) if it outlives <see cref="Timeout"/>.</summary>
    private (int ExitCode, string Dom, string Log) RunChromium(string url, string screenshot)
    {
        var profile = Directory.CreateDirectory(Path.Combine(_folder.Path, "profile")).FullName;
        var start = new ProcessStartInfo(ChromiumBrowser.Executable())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", $"--user-data-dir={profile}", $"--screenshot={screenshot}",
            "--window-size=1200,2000", "--dump-dom", url,
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var chromium = Process.Start(start)!;
        var dom = chromium.StandardOutput.ReadToEndAsync();
        var log = chromium.StandardError.ReadToEndAsync();
        if (!chromium.WaitForExit(Timeout))
        {
            chromium.Kill(entireProcessTree: true);
            chromium.WaitForExit();
            Assert.Fail($"chromium did not finish within {Timeout.TotalSeconds} s and was killed.");
        }

        return (chromium.ExitCode, dom.Result, log.Result);
    }
}
