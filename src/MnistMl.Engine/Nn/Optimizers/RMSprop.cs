using System.Runtime.Intrinsics;

namespace MnistMl.Nn;

/// <summary>
/// RMSprop with Keras's defaults (lr 0.001, ρ 0.9, ε 1e−7, no momentum):
/// <c>v = ρ·v + (1−ρ)·g²; w −= lr · g / (√v + ε)</c> (ε outside the root, as tf.keras 2 and PyTorch).
/// </summary>
public sealed class RMSprop : Optimizer
{
    /// <summary>Creates RMSprop; every argument defaults to Keras's value.</summary>
    public RMSprop(double learningRate = 0.001, double rho = 0.9, double epsilon = 1e-7, double weightDecay = 0, LearningRateSchedule? schedule = null)
        : base(learningRate, schedule, weightDecay)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rho);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rho, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epsilon);
        Rho = rho;
        Epsilon = epsilon;
    }

    /// <summary>Decay of the moving average of squared gradients.</summary>
    public double Rho { get; }

    /// <summary>Added to √v.</summary>
    public double Epsilon { get; }

    /// <inheritdoc/>
    public override string Name => "rmsprop";

    private protected override int SlotCount => 1;

    internal override IReadOnlyDictionary<string, object> GetConfig() => new Dictionary<string, object>
    {
        ["learning_rate"] = LearningRate,
        ["rho"] = Rho,
        ["epsilon"] = Epsilon,
        ["weight_decay"] = WeightDecay,
    };

    private protected override void Update<T>(Span<T> weights, ReadOnlySpan<T> gradient, object[] slots, int offset, double learningRate, long step)
    {
        var v = Slot<T>(slots, 0, offset, weights.Length);
        var rho = T.CreateChecked(Rho);
        var keep = T.One - rho;
        var lr = T.CreateChecked(learningRate);
        var eps = T.CreateChecked(Epsilon);
        var i = 0;
        for (; i <= weights.Length - Vector256<T>.Count; i += Vector256<T>.Count)
        {
            var g = Vector256.Create<T>(gradient[i..]);
            var vi = (rho * Vector256.Create<T>(v[i..])) + (keep * g * g);
            vi.CopyTo(v[i..]);
            (Vector256.Create<T>(weights[i..]) - (lr * g / (Vector256.Sqrt(vi) + Vector256.Create(eps)))).CopyTo(weights[i..]);
        }

        for (; i < weights.Length; i++)
        {
            var g = gradient[i];
            v[i] = (rho * v[i]) + (keep * g * g);
            weights[i] -= lr * g / (T.Sqrt(v[i]) + eps);
        }
    }
}
