using System.Numerics;
using System.Runtime.CompilerServices;

namespace MnistMl.Nn;

/// <summary>
/// Base of the optimizers: keeps per-weight state ("slots"), applies an optional learning-rate
/// schedule and decoupled weight decay (<c>w −= lr · weightDecay · w</c>, as Keras applies it,
/// before the update), then the optimizer's own rule.
/// </summary>
public abstract class Optimizer
{
    private readonly ConditionalWeakTable<object, object[]> _slots = [];
    private double _learningRate;

    /// <summary>Creates the optimizer with a constant learning rate.</summary>
    private protected Optimizer(double learningRate, LearningRateSchedule? schedule, double weightDecay)
    {
        if (!(learningRate > 0) && schedule is null)
        {
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be positive.");
        }

        if (!(weightDecay >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "Weight decay must be zero or positive.");
        }

        _learningRate = learningRate;
        Schedule = schedule;
        WeightDecay = weightDecay;
    }

    /// <summary>Keras's name, e.g. <c>adam</c>.</summary>
    public abstract string Name { get; }

    /// <summary>
    /// The learning rate used when no <see cref="Schedule"/> is set; callbacks such as
    /// ReduceLROnPlateau change it between epochs.
    /// </summary>
    public double LearningRate
    {
        get => Schedule?.GetLearningRate(Iterations) ?? _learningRate;
        set
        {
            if (Schedule is not null)
            {
                throw new InvalidOperationException("This optimizer follows a learning-rate schedule; its rate cannot be set directly.");
            }

            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            _learningRate = value;
        }
    }

    /// <summary>The schedule that sets the learning rate from the step count, if any.</summary>
    public LearningRateSchedule? Schedule { get; }

    /// <summary>Decoupled weight decay factor (0 = none).</summary>
    public double WeightDecay { get; }

    /// <summary>Number of update steps taken.</summary>
    public long Iterations { get; private set; }

    /// <summary>The settings saved with a model, by Keras's argument names.</summary>
    internal abstract IReadOnlyDictionary<string, object> GetConfig();

    /// <summary>Number of state arrays per weight (Adam: 2, RMSprop: 1, SGD with momentum: 1).</summary>
    private protected abstract int SlotCount { get; }

    /// <summary>Updates every weight from its gradient: one training step.</summary>
    internal void Step<T>(IReadOnlyList<ParameterBuffer<T>> parameters)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var lr = LearningRate;
        Iterations++;
        foreach (var p in parameters)
        {
            var slots = _slots.GetValue(p, key => CreateSlots<T>(((ParameterBuffer<T>)key).Value.Length));
            if (WeightDecay > 0)
            {
                var decay = T.One - T.CreateChecked(lr * WeightDecay);
                System.Numerics.Tensors.TensorPrimitives.Multiply(p.Value, decay, p.Value);
            }

            Update(p.Value, p.Gradient, slots, lr, Iterations);
        }
    }

    /// <summary>Applies the rule to one weight: <paramref name="step"/> counts from 1.</summary>
    private protected abstract void Update<T>(Span<T> weights, ReadOnlySpan<T> gradient, object[] slots, double learningRate, long step)
        where T : unmanaged, IFloatingPointIeee754<T>;

    private object[] CreateSlots<T>(int length)
    {
        var slots = new object[SlotCount];
        for (var i = 0; i < slots.Length; i++)
        {
            slots[i] = new T[length];
        }

        return slots;
    }
}
