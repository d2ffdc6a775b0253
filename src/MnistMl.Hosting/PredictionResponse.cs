namespace MnistMl.Hosting;

/// <summary>What <c>POST /predict</c> answers: the digit, how sure, the runner-up, all ten probabilities, and the model that said it.</summary>
public sealed record PredictionResponse(int Digit, float Probability, int RunnerUp, float RunnerUpProbability, float[] Scores, string Model)
{
    internal static PredictionResponse From(DigitPrediction prediction, ModelIdentity model) =>
        new(prediction.Digit, prediction.Probability, prediction.RunnerUp, prediction.Scores[prediction.RunnerUp], prediction.Scores, model.Sha256);
}
