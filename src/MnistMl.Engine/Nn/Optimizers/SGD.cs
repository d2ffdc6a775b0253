namespace MnistMl.Nn;

/// <summary>
/// Stochastic gradient descent with Keras's defaults (lr 0.01, no momentum):
/// <c>u = momentum·u − lr·g; w += u</c>, or with Nesterov <c>w += momentum·u − lr·g</c>.
/// </summary>
public sealed class SGD : Optimizer
{
    /// <summary>Creates SGD; every argument defaults to Keras's value.</summary>
    public SGD(double learningRate = 0.01, double momentum = 0, bool nesterov = false, double weightDecay = 0, LearningRateSchedule? schedule = null)
        : base(learningRate, schedule, weightDecay)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(momentum);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(momentum, 1);
        Momentum = momentum;
        Nesterov = nesterov;
    }

    /// <summary>Weight of the previous step.</summary>
    public double Momentum { get; }

    /// <summary>Whether to use Nesterov momentum.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc/>
    public override string Name => "sgd";

    private protected override int SlotCount => 1;

    internal override IReadOnlyDictionary<string, object> GetConfig() => new Dictionary<string, object>
    {
        ["learning_rate"] = LearningRate,
        ["momentum"] = Momentum,
        ["nesterov"] = Nesterov,
        ["weight_decay"] = WeightDecay,
    };

    private protected override void Update<T>(Span<T> weights, ReadOnlySpan<T> gradient, object[] slots, int offset, double learningRate, long step)
    {
        var u = Slot<T>(slots, 0, offset, weights.Length);
        var lr = T.CreateChecked(learningRate);
        var momentum = T.CreateChecked(Momentum);
        for (var i = 0; i < weights.Length; i++)
        {
            var g = gradient[i];
            if (Momentum == 0)
            {
                weights[i] -= lr * g;
                continue;
            }

            u[i] = (momentum * u[i]) - (lr * g);
            weights[i] += Nesterov ? (momentum * u[i]) - (lr * g) : u[i];
        }
    }
}
