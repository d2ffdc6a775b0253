using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
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
            _ = ModelArgument.Load(path);   // a missing or damaged model is the model-file error (exit 4), before a port is taken
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls(parse.GetValue(urls)!);

            // One line per request would cost more than the prediction: the framework logs warnings only.
            builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
            builder.Services.AddMnistServing(path, watchForChanges: !parse.GetValue(noWatch), limits =>
            {
                limits.MaxRequestBytes = parse.GetValue(maxRequestBytes) ?? limits.MaxRequestBytes;
                limits.MaxBatchImages = parse.GetValue(maxBatch) ?? limits.MaxBatchImages;
            });
            await using var app = builder.Build();
            app.MapMnistEndpoints();
            app.MapMnistDrawPage();
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
