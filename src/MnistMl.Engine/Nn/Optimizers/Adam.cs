using System.Runtime.Intrinsics;

namespace MnistMl.Nn;

/// <summary>
/// Adam with Keras's defaults (lr 0.001, β1 0.9, β2 0.999, ε 1e−7):
/// <c>m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²; w −= lr·√(1−β2ᵗ)/(1−β1ᵗ) · m / (√v + ε)</c>.
/// </summary>
public sealed class Adam : Optimizer
{
    /// <summary>Creates Adam; every argument defaults to Keras's value.</summary>
    public Adam(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7, double weightDecay = 0, LearningRateSchedule? schedule = null)
        : base(learningRate, schedule, weightDecay)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(beta1);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(beta1, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(beta2);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(beta2, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epsilon);
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
    }

    /// <summary>Decay of the first-moment estimate.</summary>
    public double Beta1 { get; }

    /// <summary>Decay of the second-moment estimate.</summary>
    public double Beta2 { get; }

    /// <summary>Added to √v.</summary>
    public double Epsilon { get; }

    /// <inheritdoc/>
    public override string Name => "adam";

    private protected override int SlotCount => 2;

    internal override IReadOnlyDictionary<string, object> GetConfig() => new Dictionary<string, object>
    {
        ["learning_rate"] = LearningRate,
        ["beta_1"] = Beta1,
        ["beta_2"] = Beta2,
        ["epsilon"] = Epsilon,
        ["weight_decay"] = WeightDecay,
    };

    private protected override void Update<T>(Span<T> weights, ReadOnlySpan<T> gradient, object[] slots, int offset, double learningRate, long step)
    {
        var m = Slot<T>(slots, 0, offset, weights.Length);
        var v = Slot<T>(slots, 1, offset, weights.Length);
        var alpha = T.CreateChecked(learningRate * Math.Sqrt(1 - Math.Pow(Beta2, step)) / (1 - Math.Pow(Beta1, step)));
        var b1 = T.CreateChecked(Beta1);
        var b2 = T.CreateChecked(Beta2);
        var c1 = T.One - b1;
        var c2 = T.One - b2;
        var eps = T.CreateChecked(Epsilon);

        // Vectors first, then the tail, with the same operations in the same order (no fused
        // multiply-add), so every element gets the same value on either path.
        var i = 0;
        for (; i <= weights.Length - Vector256<T>.Count; i += Vector256<T>.Count)
        {
            var g = Vector256.Create<T>(gradient[i..]);
            var mi = (b1 * Vector256.Create<T>(m[i..])) + (c1 * g);
            var vi = (b2 * Vector256.Create<T>(v[i..])) + (c2 * g * g);
            mi.CopyTo(m[i..]);
            vi.CopyTo(v[i..]);
            (Vector256.Create<T>(weights[i..]) - (alpha * mi / (Vector256.Sqrt(vi) + Vector256.Create(eps)))).CopyTo(weights[i..]);
        }

        for (; i < weights.Length; i++)
        {
            var g = gradient[i];
            m[i] = (b1 * m[i]) + (c1 * g);
            v[i] = (b2 * v[i]) + (c2 * g * g);
            weights[i] -= alpha * m[i] / (T.Sqrt(v[i]) + eps);
        }
    }
}
