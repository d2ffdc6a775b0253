namespace MnistMl.Hosting;

/// <summary>What <c>POST /predict/batch</c> answers: one prediction per image, in order, all from one model.</summary>
public sealed record BatchPredictionResponse(IReadOnlyList<PredictionResponse> Predictions, string Model);
