using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MnistMl.Hosting;
using MnistMl.Tests.Data;
using MnistMl.Tests.Imaging;

namespace MnistMl.Tests.Hosting;

/// <summary>
/// The draw-a-digit page as a person uses it: Debian's chromium, driven by Playwright, opens the
/// page from a real Kestrel server on loopback, a 7 is drawn stroke by stroke with the mouse, and
/// the page must show the digit the model reads in the picture it drew — bars and model input
/// included. Chromium missing is a failure, never a skip.
/// </summary>
public sealed class DrawPageBrowserTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly TempFolder _folder = new();
    private WebApplication _app = null!;
    private string _url = null!;

    public async Task InitializeAsync()
    {
        var path = Path.Combine(_folder.Path, "mnist.zip");
        TrainedDigitModel.Model.Save(path);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddMnistServing(path, watchForChanges: false);
        _app = builder.Build();
        _app.MapMnistEndpoints();
        _app.MapMnistDrawPage();
        await _app.StartAsync();
        _url = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task A_seven_drawn_stroke_by_stroke_is_read_as_seven_and_the_page_shows_what_the_model_saw()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumBrowser.Executable(), Headless = true });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 900, Height = 700 } });
        page.SetDefaultTimeout((float)Patience.TotalMilliseconds);
        await page.GotoAsync(_url);
        await page.WaitForFunctionAsync("() => document.getElementById('model').textContent.includes('sha256')");
        var pad = await page.Locator("#pad").BoundingBoxAsync() ?? throw new InvalidOperationException("the drawing pad is not on the page");

        // A 7 on the 280 × 280 pad: the bar, then the stem, each a stroke of many pointer moves.
        await Stroke(page, pad, (75, 65), (205, 65));
        await Stroke(page, pad, (205, 65), (120, 230));
        await page.WaitForFunctionAsync("() => !pending && !again && document.getElementById('digit').textContent !== '–'");

        var shown = int.Parse(await page.TextContentAsync("#digit") ?? string.Empty, System.Globalization.CultureInfo.InvariantCulture);
        var drawn = Convert.FromBase64String((await page.EvaluateAsync<string>("() => pad.toDataURL('image/png')")).Split(',')[1]);
        var expected = TrainedDigitModel.Model.Predict(DigitImage.FromBytes(drawn));
        var seen = await page.EvaluateAsync<int[]>("() => Array.from(document.getElementById('seen').getContext('2d').getImageData(0, 0, 28, 28).data.filter((_, i) => i % 4 === 0))");

        Assert.Equal(7, shown);
        Assert.Equal(expected.Digit, shown);
        Assert.InRange(Percent(await page.TextContentAsync("#confidence")), (expected.Probability * 100) - 0.051, (expected.Probability * 100) + 0.051);
        Assert.Equal("bar top", await page.GetAttributeAsync("#bar7", "class"));
        Assert.InRange(Percent(await page.TextContentAsync("#bar7 > span:last-child")), (expected.Probability * 100) - 0.051, (expected.Probability * 100) + 0.051);
        Assert.Equal(DigitImage.FromBytes(drawn).Image.Select(b => (int)b), seen);
        Assert.Equal(string.Empty, await page.TextContentAsync("#error"));

        await page.ClickAsync("#clear");
        Assert.Equal("–", await page.TextContentAsync("#digit"));
    }

    /// <summary>The number before the first " %" of a text the page shows.</summary>
    private static double Percent(string? text) =>
        double.Parse((text ?? string.Empty).Split(" %")[0], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Presses at <paramref name="from"/>, moves to <paramref name="to"/> in small steps, releases: one stroke, in pad pixels.</summary>
    private static async Task Stroke(IPage page, LocatorBoundingBoxResult pad, (float X, float Y) from, (float X, float Y) to)
    {
        var scale = pad.Width / 280;
        await page.Mouse.MoveAsync(pad.X + (from.X * scale), pad.Y + (from.Y * scale));
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(pad.X + (to.X * scale), pad.Y + (to.Y * scale), new() { Steps = 25 });
        await page.Mouse.UpAsync();
    }
}
