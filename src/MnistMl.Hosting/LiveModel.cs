namespace MnistMl.Hosting;

/// <summary>A loaded model with its identity. A request keeps the one it started with, so a swap never changes a model under it.</summary>
/// <param name="Model">The model; its <see cref="MnistModel.Predict(DigitImage)"/> is thread-safe.</param>
/// <param name="Identity">Which model it is.</param>
public sealed record LiveModel(MnistModel Model, ModelIdentity Identity);
