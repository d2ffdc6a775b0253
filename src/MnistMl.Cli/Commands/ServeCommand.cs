using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MnistMl.Hosting;

namespace MnistMl.Cli.Commands;

/// <summary>
/// <c>mnistml serve MODEL</c>: the model behind HTTP on Kestrel — the draw-a-digit page at <c>/</c>,
/// <c>POST /predict</c>, <c>POST /predict/batch</c>, <c>GET /health</c>, <c>GET /model</c> — swapping
/// in the model file whenever it changes. Ctrl+C or SIGTERM stops it (exit 0).
/// </summary>
internal static class ServeCommand
{
    /// <summary>How long requests in flight get to finish once a stop is asked for: well inside <see cref="ProcessTermination.GracePeriod"/>.</summary>
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(2);

    public static Command Create()
    {
        var model = ModelArgument.Create();
        var urls = new Option<string>("--urls") { Description = "Where to listen; ';' between several.", DefaultValueFactory = _ => "http://127.0.0.1:5000" };
        var noWatch = new Option<bool>("--no-watch") { Description = "Keep the model loaded at start even if its file changes." };
        var maxRequestBytes = CliOptions.WholeNumber("--max-request-bytes", "Largest request body, in bytes (default 4 MiB).", 1, int.MaxValue);
        var maxBatch = CliOptions.WholeNumber("--max-batch", "Most images in one batch request (default 5,000).", 1, 1_000_000);
        var command = new Command("serve", "Serve a model over HTTP: a draw-a-digit page, prediction endpoints, health; swaps in the model file when it changes.")
        {
            model, urls, noWatch, maxRequestBytes, maxBatch,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = Path.GetFullPath(parse.GetValue(model)!);
            var maxWeights = ModelArgument.MaxWeights();
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls(parse.GetValue(urls)!);

            // Stopping must end within ProcessTermination's grace period, or a slow client would turn a clean stop into exit 130.
            builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = ShutdownTimeout);

            // One line per request would cost more than the prediction: the framework logs warnings only.
            builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
            builder.Services.AddMnistServing(path, watchForChanges: !parse.GetValue(noWatch), limits =>
            {
                limits.MaxRequestBytes = parse.GetValue(maxRequestBytes) ?? limits.MaxRequestBytes;
                limits.MaxBatchImages = parse.GetValue(maxBatch) ?? limits.MaxBatchImages;
            });
            builder.Services.Configure<MnistModelServiceOptions>(options => options.MaxWeights = maxWeights);
            // Numbers are numbers: the web default also reads them from strings, which the OpenAPI schemas would then have to allow.
            builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict);
            builder.Services.AddOpenApi(openApi => openApi.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "MnistMl digit service";
                document.Info.Version = "v1";
                document.Info.Description = $"Handwritten-digit predictions from {Path.GetFileName(path)}; the draw-a-digit page is at /.";
                return Task.CompletedTask;
            }));
            await using var app = builder.Build();

            // A missing or damaged model is the model-file error (exit 4), before a port is taken.
            _ = ModelArgument.Loading(path, app.Services.GetRequiredService<MnistModelService>);
            app.MapMnistEndpoints();
            app.MapMnistDrawPage();
            app.MapOpenApi();
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C or SIGTERM: the normal way to stop a server.
            }

            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
