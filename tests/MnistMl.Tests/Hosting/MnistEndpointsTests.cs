using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using MnistMl.Hosting;
using MnistMl.Imaging;
using MnistMl.Tests.Data;
using MnistMl.Tests.Imaging;

namespace MnistMl.Tests.Hosting;

/// <summary>Every endpoint and every refusal, in process on ASP.NET Core's test server.</summary>
public sealed class MnistEndpointsTests : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private WebApplication _app = null!;
    private HttpClient _client = null!;
    private string _path = null!;

    public async Task InitializeAsync()
    {
        _path = Path.Combine(_folder.Path, "mnist.zip");
        TrainedDigitModel.Model.Save(_path);
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddMnistServing(_path, watchForChanges: false, limits =>
        {
            limits.MaxRequestBytes = 64 << 10;
            limits.MaxBatchImages = 20;
            limits.MaxRequestPixels = 25_000;
        });
        _app = builder.Build();
        _app.MapMnistEndpoints();
        _app.MapMnistDrawPage();
        await _app.StartAsync();
        _client = _app.GetTestClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task Predict_reads_a_png_json_grey_levels_and_raw_bytes_alike_and_names_the_model()
    {
        var pixels = MnistTestData.Test.GetImage(0).ToArray();
        var png = PngEncoder.Encode(new GrayImage(28, 28, pixels));
        var expected = TrainedDigitModel.Model.Predict(DigitImage.FromBytes(png)).Scores;

        var fromPng = await Predict("/predict", new ByteArrayContent(png), "image/png");
        var fromJson = await Predict("/predict", JsonContent.Create(new { pixels = pixels.Select(b => (int)b) }), null);
        var fromBytes = await Predict("/predict", new ByteArrayContent(pixels), "application/octet-stream");

        Assert.All(new[] { fromPng, fromJson, fromBytes }, p => Assert.Equal(7, p.GetProperty("digit").GetInt32()));
        Assert.Equal(expected, fromPng.GetProperty("scores").EnumerateArray().Select(v => v.GetSingle()));
        Assert.Equal(Sha256(_path), fromJson.GetProperty("model").GetString());
        Assert.InRange(fromBytes.GetProperty("probability").GetSingle(), 0.5f, 1f);
    }

    [Fact]
    public async Task Batch_predicts_many_images_in_order_as_one_at_a_time_would()
    {
        var images = Enumerable.Range(0, 12).Select(i => MnistTestData.Test.GetImage(i).ToArray()).ToArray();
        var expected = images.Select(p => TrainedDigitModel.Model.Predict(p).Digit).ToArray();
        using var form = new MultipartFormDataContent();
        foreach (var (image, i) in images.Take(3).Select((image, i) => (image, i)))
        {
            var file = new ByteArrayContent(PngEncoder.Encode(new GrayImage(28, 28, image)));
            file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            form.Add(file, "images", $"digit{i}.png");
        }

        var fromBytes = await Predict("/predict/batch", new ByteArrayContent([.. images.SelectMany(p => p)]), "application/octet-stream");
        var fromJson = await Predict("/predict/batch", JsonContent.Create(new { pixels = images.Select(p => p.Select(b => (int)b)) }), null);
        var fromForm = await Predict("/predict/batch", form, null);

        Assert.Equal(expected, Digits(fromBytes));
        Assert.Equal(expected, Digits(fromJson));
        Assert.Equal(expected[..3], Digits(fromForm));
        Assert.Equal(
            TrainedDigitModel.Model.Predict(images[5]).Scores,
            fromBytes.GetProperty("predictions")[5].GetProperty("scores").EnumerateArray().Select(v => v.GetSingle()));
    }

    [Theory]
    [InlineData("/predict", "image/png", "not a png", 400, "The image cannot be read: ")]
    [InlineData("/predict", "application/json", "{\"pixels\": [1, 2", 400, "The body is not valid JSON: ")]
    [InlineData("/predict", "application/json", "{\"pixels\": [1, 2, 3]}", 400, "\"pixels\" must be a list of 784 grey levels (0–255, row by row).")]
    [InlineData("/predict", "application/json", "{\"image\": 3}", 400, "Send {\"pixels\": [784 grey levels]}.")]
    [InlineData("/predict", "application/octet-stream", "short", 400, "Raw grey levels come as 784 bytes per image, one image; the body has 5.")]
    [InlineData("/predict", "text/plain", "seven", 415, "Send an image (image/png, image/jpeg, ...)")]
    [InlineData("/predict/batch", "image/png", "x", 415, "Send a multipart form of image files")]
    public async Task A_bad_request_gets_problem_details_a_person_understands(string path, string mediaType, string body, int status, string detail)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);

        using var response = await _client.PostAsync(path, content);

        await AssertProblem(response, status, detail);
    }

    [Fact]
    public async Task Bodies_and_batches_past_the_limits_get_413_and_a_pixel_off_the_scale_400()
    {
        using var big = await _client.PostAsync("/predict", Bytes(new byte[(64 << 10) + 1], "application/octet-stream"));
        using var many = await _client.PostAsync("/predict/batch", Bytes(new byte[784 * 21], "application/octet-stream"));
        var pixels = new int[784];
        pixels[3] = 300;
        using var offScale = await _client.PostAsync("/predict", JsonContent.Create(new { pixels }));

        await AssertProblem(big, 413, "The body is larger than the 65,536 bytes a request may have.");
        await AssertProblem(many, 413, "A batch holds at most 20 images.");
        await AssertProblem(offScale, 400, "\"pixels\": Pixel 3 is 300; pixels must be grey levels from 0 to 255.");
    }

    [Fact]
    public async Task A_picture_past_the_pixel_limit_gets_413_before_it_is_decoded()
    {
        var huge = PngEncoder.Encode(new GrayImage(3000, 3000, new byte[3000 * 3000]));   // a few KiB of deflated zeros
        Assert.InRange(huge.Length, 1, 64 << 10);

        using var response = await _client.PostAsync("/predict", Bytes(huge, "image/png"));

        await AssertProblem(response, 413, "The image is 3,000 × 3,000 pixels; a picture may have at most 4,194,304.");
    }

    [Fact]
    public async Task A_form_is_counted_before_any_picture_is_decoded_and_its_pictures_share_a_pixel_budget()
    {
        using var tooMany = new MultipartFormDataContent();
        for (var i = 0; i < 21; i++)
        {
            tooMany.Add(Bytes([1, 2, 3], "image/png"), "images", $"not-a-picture-{i}.png");   // never decoded: the count refuses first
        }

        var picture = PngEncoder.Encode(new GrayImage(100, 100, [.. Enumerable.Range(0, 100 * 100).Select(i => (byte)(i / 100 is > 20 and < 80 && i % 100 is > 40 and < 60 ? 255 : 0))]));
        using var heavy = new MultipartFormDataContent();
        for (var i = 0; i < 3; i++)
        {
            heavy.Add(Bytes(picture, "image/png"), "images", $"big{i}.png");   // 10,000 pixels each, 25,000 allowed in all
        }

        using var counted = await _client.PostAsync("/predict/batch", tooMany);
        using var budgeted = await _client.PostAsync("/predict/batch", heavy);

        await AssertProblem(counted, 413, "A batch holds at most 20 images.");
        await AssertProblem(budgeted, 413, "The pictures of this request have more than the 25,000 pixels a request may have in all (File 'big2.png' passed it).");
    }

    [Fact]
    public async Task A_form_of_more_files_than_the_form_readers_default_count_is_one_batch()
    {
        // ASP.NET Core's form reader refuses more than 1,024 parts unless told otherwise.
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddMnistServing(_path, watchForChanges: false, limits => limits.MaxBatchImages = 2_000);
        await using var app = builder.Build();
        app.MapMnistEndpoints();
        await app.StartAsync();
        using var client = app.GetTestClient();
        var png = PngEncoder.Encode(new GrayImage(28, 28, MnistTestData.Test.GetImage(0).ToArray()));
        using var form = new MultipartFormDataContent();
        for (var i = 0; i < 1_100; i++)
        {
            var file = new ByteArrayContent(png);
            file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            form.Add(file, "images", $"digit{i}.png");
        }

        using var response = await client.PostAsync("/predict/batch", form);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        using var batch = JsonDocument.Parse(text);
        Assert.Equal(Enumerable.Repeat(7, 1_100), Digits(batch.RootElement));
    }

    [Fact]
    public async Task The_draw_page_is_self_contained_and_predict_can_show_what_the_model_read()
    {
        using var page = await _client.GetAsync("/");
        var html = await page.Content.ReadAsStringAsync();
        var png = PngEncoder.Encode(new GrayImage(28, 28, MnistTestData.Test.GetImage(0).ToArray()));

        var prediction = await Predict("/predict?input=true", new ByteArrayContent(png), "image/png");

        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<canvas id=\"pad\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.Equal(DigitImage.FromBytes(png).Image.Select(b => (int)b), prediction.GetProperty("input").EnumerateArray().Select(v => v.GetInt32()));
    }

    [Fact]
    public async Task Health_names_the_live_model_and_model_gives_its_manifest()
    {
        using var health = JsonDocument.Parse(await _client.GetStringAsync("/health"));
        using var manifest = JsonDocument.Parse(await _client.GetStringAsync("/model"));

        Assert.Equal("serving", health.RootElement.GetProperty("status").GetString());
        var model = health.RootElement.GetProperty("model");
        Assert.Equal(Sha256(_path), model.GetProperty("sha256").GetString());
        Assert.Equal("dnn", model.GetProperty("preset").GetString());
        Assert.Equal("mnistml-model", manifest.RootElement.GetProperty("format").GetString());
        Assert.Equal("dnn", manifest.RootElement.GetProperty("architecture").GetProperty("name").GetString());
    }

    private async Task<JsonElement> Predict(string path, HttpContent content, string? mediaType)
    {
        if (mediaType is not null)
        {
            content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        }

        using var response = await _client.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task AssertProblem(HttpResponseMessage response, int status, string detail)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.StartsWith(detail, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static ByteArrayContent Bytes(byte[] body, string mediaType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }

    private static int[] Digits(JsonElement batch) => [.. batch.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("digit").GetInt32())];

    private static string Sha256(string path) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));
}
