using System.Text.Json.Serialization;

namespace MnistMl.Hosting;

/// <summary>
/// What <c>POST /predict</c> answers: the digit, how sure, the runner-up, all ten probabilities, the
/// model that said it, and with <c>?input=true</c> the 784 grey levels the model read (after
/// MNIST-style normalisation), row by row.
/// </summary>
public sealed record PredictionResponse(
    int Digit,
    float Probability,
    int RunnerUp,
    float RunnerUpProbability,
    float[] Scores,
    string Model,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int[]? Input = null)
{
    internal static PredictionResponse From(DigitPrediction prediction, ModelIdentity model, DigitImage? input = null) =>
        new(prediction.Digit, prediction.Probability, prediction.RunnerUp, prediction.Scores[prediction.RunnerUp], prediction.Scores, model.Sha256, input?.Image.Select(b => (int)b).ToArray());
}
