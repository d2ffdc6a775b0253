namespace MnistMl.Hosting;

/// <summary>The answer of <c>GET /health</c>: the service is serving, and which model is live.</summary>
/// <param name="Status">Always <c>serving</c>: a service without a usable model does not start.</param>
/// <param name="Model">The live model's identity.</param>
public sealed record HealthResponse(string Status, ModelIdentity Model);
