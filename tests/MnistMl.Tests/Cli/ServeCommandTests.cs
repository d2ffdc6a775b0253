using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using MnistMl.Cli;
using MnistMl.Tests.Data;

namespace MnistMl.Tests.Cli;

/// <summary><c>mnistml serve</c> as a real process on loopback: it serves, says which model is live, and stops cleanly on SIGTERM.</summary>
public sealed class ServeCommandTests(TrainedModelFixture model) : IClassFixture<TrainedModelFixture>
{
    [Fact]
    public async Task Serve_answers_health_and_predict_on_loopback_and_exits_0_on_SIGTERM()
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        using var process = ChildProcess.StartCli("serve", model.ModelPath, "--urls", url);
        var log = process.StandardOutput.ReadToEndAsync();
        using var client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(10) };

        var health = await Poll(client, "/health");
        using var prediction = await client.PostAsync("/predict", new ByteArrayContent(MnistTestData.Test.GetImage(0).ToArray()) { Headers = { ContentType = new("application/octet-stream") } });
        var openApi = await client.GetStringAsync("/openapi/v1.json");
        ChildProcess.Signal(process, ChildProcess.SigTerm);   // what a process manager sends to stop a service
        await process.WaitForExitAsync();

        Assert.Equal(ExitCodes.Success, process.ExitCode);
        using var json = JsonDocument.Parse(health);
        Assert.Equal(model.ModelPath, json.RootElement.GetProperty("model").GetProperty("filePath").GetString());
        Assert.Equal(HttpStatusCode.OK, prediction.StatusCode);
        Assert.Contains($"Serving model {model.ModelPath}: dnn", await log, StringComparison.Ordinal);
        AssertDescribesTheEndpoints(openApi);
    }

    /// <summary>The OpenAPI document names every endpoint, each body a prediction takes, what it answers and how it refuses.</summary>
    private static void AssertDescribesTheEndpoints(string openApi)
    {
        using var document = JsonDocument.Parse(openApi);
        var root = document.RootElement;
        Assert.StartsWith("3.", root.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        Assert.Equal("MnistMl digit service", root.GetProperty("info").GetProperty("title").GetString());
        var paths = root.GetProperty("paths");
        Assert.Equal(["/health", "/model", "/predict", "/predict/batch"], paths.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        foreach (var (path, bodies, answer) in new[]
        {
            ("/predict", new[] { "application/json", "application/octet-stream", "image/png", "image/jpeg" }, "PredictionResponse"),
            ("/predict/batch", ["application/json", "application/octet-stream", "multipart/form-data"], "BatchPredictionResponse"),
        })
        {
            var post = paths.GetProperty(path).GetProperty("post");
            var content = post.GetProperty("requestBody").GetProperty("content");
            Assert.All(bodies, type => Assert.True(content.TryGetProperty(type, out _), $"{path} does not describe a {type} body"));
            var responses = post.GetProperty("responses");
            Assert.Equal(["200", "400", "413", "415"], responses.EnumerateObject().Select(r => r.Name));
            Assert.Equal($"#/components/schemas/{answer}", responses.GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
            Assert.True(responses.GetProperty("413").GetProperty("content").TryGetProperty("application/problem+json", out _));
        }

        var pixels = paths.GetProperty("/predict").GetProperty("post").GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        Assert.Equal("array", pixels.GetProperty("properties").GetProperty("pixels").GetProperty("type").GetString());
        Assert.Equal("#/components/schemas/HealthResponse", paths.GetProperty("/health").GetProperty("get").GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
    }

    [Fact]
    public void Serve_with_a_damaged_model_is_a_model_file_error_before_listening()
    {
        using var folder = new TempFolder();
        var broken = folder.Write("broken.zip", [1, 2, 3]);

        var (code, _, error) = CliHarness.Run(MnistMl.Cli.Commands.ServeCommand.Create(), "serve", broken, "--urls", $"http://127.0.0.1:{FreePort()}");

        Assert.Equal(ExitCodes.ModelFileError, code);
        Assert.StartsWith($"mnistml: model file error: {broken}: not a zip archive", error, StringComparison.Ordinal);
    }

    private static async Task<string> Poll(HttpClient client, string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await client.GetStringAsync(path);
            }
            catch (HttpRequestException) when (attempt < 150)
            {
                await Task.Delay(100);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
