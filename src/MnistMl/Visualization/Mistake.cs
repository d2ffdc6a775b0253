namespace MnistMl.Visualization;

/// <summary>An image the model got wrong.</summary>
/// <param name="Index">The image's index in the evaluated dataset.</param>
/// <param name="Label">Its true class.</param>
/// <param name="Predicted">The class the model chose (the argmax of its scores).</param>
/// <param name="Probability">The probability the model gave to <paramref name="Predicted"/>: how sure it was of the wrong answer.</param>
public sealed record Mistake(int Index, int Label, int Predicted, float Probability);
