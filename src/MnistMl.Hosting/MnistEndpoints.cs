using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MnistMl.Hosting;

/// <summary>The HTTP endpoints of a digit service, for any ASP.NET Core app that called <c>AddMnistModel</c>.</summary>
public static class MnistEndpoints
{
    /// <summary>
    /// Maps <c>POST /predict</c>, <c>POST /predict/batch</c>, <c>GET /health</c> and <c>GET /model</c>.
    /// Refusals are RFC 7807 problem details: 400 for a malformed picture or body, 413 past the
    /// <see cref="ServingOptions"/> limits, 415 for a media type it does not read.
    /// </summary>
    public static RouteGroupBuilder MapMnistEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup(string.Empty).WithTags("Digits").AddEndpointFilter(async (context, next) =>
        {
            try
            {
                return await next(context).ConfigureAwait(false);
            }
            catch (RequestException ex)
            {
                return Results.Problem(ex.Message, statusCode: ex.StatusCode, title: ex.Title);
            }
        });

        group.MapPost("/predict", async (HttpRequest request, MnistModelService models, IOptions<ServingOptions> limits, bool? input, CancellationToken cancellationToken) =>
        {
            var live = models.Current;
            var images = await PredictionRequest.ReadAsync(request, limits.Value, batch: false, cancellationToken).ConfigureAwait(false);
            return Results.Ok(PredictionResponse.From(live.Model.Predict(images[0]), live.Identity, input == true ? images[0] : null));
        })
        .WithName("Predict")
        .WithSummary("The digit in one picture (image/*), or in 784 grey levels (JSON {\"pixels\": [...]} or application/octet-stream); ?input=true adds the 784 grey levels the model read.")
        .AddOpenApiOperationTransformer(PredictionRequestDescription.For<PixelsRequest>(ImageMediaTypes))
        .Produces<PredictionResponse>()
        .WithRefusals();

        group.MapPost("/predict/batch", async (HttpRequest request, MnistModelService models, IOptions<ServingOptions> limits, CancellationToken cancellationToken) =>
        {
            var live = models.Current;
            var images = await PredictionRequest.ReadAsync(request, limits.Value, batch: true, cancellationToken).ConfigureAwait(false);
            var predictions = live.Model.Predict(images);
            return Results.Ok(new BatchPredictionResponse([.. predictions.Select(p => PredictionResponse.From(p, live.Identity))], live.Identity.Sha256));
        })
        .WithName("PredictBatch")
        .WithSummary("The digits of many pictures (multipart form), or of many 784-grey-level images (JSON or application/octet-stream), in one request.")
        .AddOpenApiOperationTransformer(PredictionRequestDescription.For<BatchPixelsRequest>(["multipart/form-data"]))
        .Produces<BatchPredictionResponse>()
        .WithRefusals();

        group.MapGet("/health", (MnistModelService models) => Results.Ok(new HealthResponse("serving", models.Current.Identity)))
            .WithName("Health")
            .Produces<HealthResponse>()
            .WithSummary("Which model is live: its SHA-256, preset, file and when it was loaded.");

        group.MapGet("/model", (MnistModelService models) => Results.Ok(models.Current.Model.Manifest))
            .WithName("Model")
            .Produces<Persistence.ModelManifest>()
            .WithSummary("The live model's manifest: architecture, preprocessing, training recipe, metrics.");

        return group;
    }

    /// <summary>Maps <c>GET /</c> to the draw-a-digit page: a canvas for mouse and touch, the prediction and ten probability bars as you draw, and the 28 × 28 picture the model reads. Self-contained: it works offline.</summary>
    public static IEndpointConventionBuilder MapMnistDrawPage(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapGet("/", () => Results.Content(DrawPageHtml.Value, "text/html; charset=utf-8")).WithName("DrawPage").ExcludeFromDescription();
    }

    /// <summary>The image types <c>POST /predict</c> names in its description (it reads any <c>image/*</c> it can decode).</summary>
    private static readonly string[] ImageMediaTypes = ["image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp", "image/x-portable-graymap"];

    /// <summary>The problem details a prediction endpoint answers with, in its OpenAPI description.</summary>
    private static RouteHandlerBuilder WithRefusals(this RouteHandlerBuilder endpoint) => endpoint
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

    private static readonly Lazy<string> DrawPageHtml = new(() =>
    {
        using var stream = typeof(MnistEndpoints).Assembly.GetManifestResourceStream("MnistMl.Hosting.DrawPage.html")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>Registers the model (<see cref="MnistModelServiceCollectionExtensions.AddMnistModel"/>) and the endpoints' limits.</summary>
    public static IServiceCollection AddMnistServing(this IServiceCollection services, string modelPath, bool watchForChanges = true, Action<ServingOptions>? limits = null)
    {
        services.AddMnistModel(modelPath, watchForChanges);
        services.AddProblemDetails();
        services.Configure(limits ?? (_ => { }));
        return services;
    }
}
