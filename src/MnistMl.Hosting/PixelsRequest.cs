namespace MnistMl.Hosting;

/// <summary>
/// The JSON body of <c>POST /predict</c> (<c>{"pixels": [784 grey levels]}</c>, 0–255, row by row,
/// light digit on dark as MNIST) and, with a list of such lists, of <c>POST /predict/batch</c>.
/// Documents the contract in the OpenAPI description; the endpoints read the body themselves so
/// that every mistake in it gets a precise problem detail.
/// </summary>
/// <param name="Pixels">The grey levels.</param>
public sealed record PixelsRequest(float[] Pixels);
