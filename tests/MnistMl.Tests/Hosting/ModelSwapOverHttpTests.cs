using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using MnistMl.Hosting;
using MnistMl.Tests.Data;
using MnistMl.Tests.Imaging;

namespace MnistMl.Tests.Hosting;

/// <summary>The model file replaced while requests stream in: not one fails, and /health names the new model afterwards.</summary>
public sealed class ModelSwapOverHttpTests
{
    [Fact]
    public async Task Replacing_the_model_under_a_stream_of_requests_fails_none_and_health_reports_the_new_one()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "mnist.zip");
        TrainedDigitModel.Model.Save(path);
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddMnistServing(path);
        await using var app = builder.Build();
        app.MapMnistEndpoints();
        await app.StartAsync();
        using var client = app.GetTestClient();
        var before = await ModelOf(client);
        var pixels = MnistTestData.Test.GetImage(0).ToArray();

        using var stop = new CancellationTokenSource();
        var answers = new List<string>();
        var failures = new List<string>();
        var clients = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var content = new ByteArrayContent(pixels);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                using var response = await client.PostAsync("/predict", content);
                var body = await response.Content.ReadAsStringAsync();
                lock (answers)
                {
                    (response.IsSuccessStatusCode ? answers : failures).Add(response.IsSuccessStatusCode ? JsonDocument.Parse(body).RootElement.GetProperty("model").GetString()! : $"{(int)response.StatusCode} {body}");
                }
            }
        })).ToArray();

        await Task.Delay(200);
        TrainedDigitModel.Model.Save(path);
        var after = before;
        for (var waited = 0; after == before && waited < 200; waited++)
        {
            await Task.Delay(100);
            after = await ModelOf(client);
        }

        await Task.Delay(200);
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        Assert.Empty(failures);
        Assert.NotEqual(before, after);
        Assert.Contains(before, answers);
        Assert.Contains(after, answers);
        Assert.All(answers, model => Assert.Contains(model, new[] { before, after }));
    }

    private static async Task<string> ModelOf(HttpClient client)
    {
        using var health = JsonDocument.Parse(await client.GetStringAsync("/health"));
        return health.RootElement.GetProperty("model").GetProperty("sha256").GetString()!;
    }
}
