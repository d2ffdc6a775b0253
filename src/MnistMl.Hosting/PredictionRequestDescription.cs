using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MnistMl.Hosting;

/// <summary>
/// The request bodies of the prediction endpoints in their OpenAPI description. The endpoints read
/// the body themselves (<see cref="PredictionRequest"/>), so nothing in their signatures tells the
/// generator that one body may be JSON, raw grey-level bytes or a picture.
/// </summary>
internal static class PredictionRequestDescription
{
    /// <summary>A transformer that describes a body of JSON <typeparamref name="TJson"/>, raw grey levels, or one of <paramref name="binaryTypes"/>.</summary>
    public static Func<OpenApiOperation, OpenApiOperationTransformerContext, CancellationToken, Task> For<TJson>(IReadOnlyList<string> binaryTypes) =>
        async (operation, context, cancellationToken) =>
        {
            var content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(typeof(TJson), cancellationToken: cancellationToken).ConfigureAwait(false) },
                ["application/octet-stream"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = "784 grey-level bytes per image, row by row." } },
            };
            foreach (var type in binaryTypes)
            {
                content[type] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } };
            }

            operation.RequestBody = new OpenApiRequestBody { Required = true, Content = content };
        };
}
