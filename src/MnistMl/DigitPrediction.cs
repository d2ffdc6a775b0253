using Microsoft.ML.Data;
using MnistMl.Nn;

namespace MnistMl;

/// <summary>What a model says about one image: the digit and the probability of each class.</summary>
public sealed class DigitPrediction
{
    /// <summary>The most probable digit.</summary>
    [NoColumn]
    public int Digit => Scores.Length == 0 ? -1 : Metric.ArgMax<float>(Scores);

    /// <summary>Probability of each digit 0–9 (the <c>Score</c> column).</summary>
    [ColumnName("Score")]
    public float[] Scores { get; set; } = [];

    /// <summary>The probability of <see cref="Digit"/>.</summary>
    [NoColumn]
    public float Probability => Digit >= 0 ? Scores[Digit] : float.NaN;

    /// <summary>The second most probable digit.</summary>
    [NoColumn]
    public int RunnerUp
    {
        get
        {
            var best = -1;
            for (var d = 0; d < Scores.Length; d++)
            {
                if (d != Digit && (best < 0 || Scores[d] > Scores[best]))
                {
                    best = d;
                }
            }

            return best;
        }
    }
}
