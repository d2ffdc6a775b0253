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
        ChildProcess.Signal(process, ChildProcess.SigTerm);   // what a process manager sends to stop a service
        await process.WaitForExitAsync();

        Assert.Equal(ExitCodes.Success, process.ExitCode);
        using var json = JsonDocument.Parse(health);
        Assert.Equal(model.ModelPath, json.RootElement.GetProperty("model").GetProperty("filePath").GetString());
        Assert.Equal(HttpStatusCode.OK, prediction.StatusCode);
        Assert.Contains($"Serving model {model.ModelPath}: dnn", await log, StringComparison.Ordinal);
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
