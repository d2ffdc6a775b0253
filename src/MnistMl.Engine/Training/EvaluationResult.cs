namespace MnistMl.Training;

/// <summary>What <c>Evaluate</c> returns: mean loss and, for classifiers, accuracy.</summary>
/// <param name="Loss">Mean loss per sample.</param>
/// <param name="Accuracy">Fraction classified correctly (NaN when the model is not a classifier).</param>
/// <param name="Count">Number of samples evaluated.</param>
public readonly record struct EvaluationResult(double Loss, double Accuracy, int Count);
