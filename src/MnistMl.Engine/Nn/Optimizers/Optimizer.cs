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
    private object? _stepJob;
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

    /// <summary>Every slot of every weight in <paramref name="parameters"/>, in order (zeros for a weight not yet stepped), copied.</summary>
    internal List<float[]> CopySlots(IReadOnlyList<ParameterBuffer<float>> parameters) =>
        [.. parameters.SelectMany(p => _slots.TryGetValue(p, out var slots) ? slots.Select(s => (float[])((float[])s).Clone()) : CreateSlots<float>(p.Value.Length).Cast<float[]>())];

    /// <summary>Checks that what <see cref="CopySlots"/> took fits <paramref name="parameters"/>, changing nothing.</summary>
    /// <exception cref="ArgumentException">The arrays do not fit the weights, or the step count is negative.</exception>
    internal void CheckState(IReadOnlyList<ParameterBuffer<float>> parameters, IReadOnlyList<float[]> slots, long iterations)
    {
        if (slots.Count != parameters.Count * SlotCount)
        {
            throw new ArgumentException($"The saved optimizer state holds {slots.Count} arrays; {Name} keeps {SlotCount} for each of the {parameters.Count} weights.", nameof(slots));
        }

        for (var i = 0; i < slots.Count; i++)
        {
            if (slots[i].Length != parameters[i / SlotCount].Value.Length)
            {
                throw new ArgumentException($"Saved optimizer array {i} holds {slots[i].Length} values; weight {i / SlotCount} has {parameters[i / SlotCount].Value.Length}.", nameof(slots));
            }
        }

        ArgumentOutOfRangeException.ThrowIfNegative(iterations);
    }

    /// <summary>Puts back what <see cref="CopySlots"/> took, with the step count and learning rate, to resume a run: all of it, or (on an error) none.</summary>
    /// <exception cref="ArgumentException">The arrays do not fit the weights.</exception>
    internal void RestoreState(IReadOnlyList<ParameterBuffer<float>> parameters, IReadOnlyList<float[]> slots, long iterations, double learningRate)
    {
        CheckState(parameters, slots, iterations);
        for (var i = 0; i < parameters.Count; i++)
        {
            _slots.AddOrUpdate(parameters[i], [.. slots.Skip(i * SlotCount).Take(SlotCount).Select(s => (object)s.Clone())]);
        }

        Iterations = iterations;
        if (Schedule is null)
        {
            LearningRate = learningRate;
        }
    }

    /// <summary>Updates every weight from its gradient: one training step.</summary>
    internal void Step<T>(IReadOnlyList<ParameterBuffer<T>> parameters)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var lr = LearningRate;
        Iterations++;
        var job = (_stepJob as StepJob<T>) ?? (StepJob<T>)(_stepJob = new StepJob<T>(this));
        foreach (var p in parameters)
        {
            var slots = _slots.GetValue(p, key => CreateSlots<T>(((ParameterBuffer<T>)key).Value.Length));
            job.Run(p, slots, lr, Iterations);
        }
    }

    /// <summary>
    /// Applies the rule to a block of one weight's values: <paramref name="offset"/> is where the
    /// block starts in the weight (and in its slots); <paramref name="step"/> counts from 1.
    /// </summary>
    private protected abstract void Update<T>(Span<T> weights, ReadOnlySpan<T> gradient, object[] slots, int offset, double learningRate, long step)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>The part of slot <paramref name="index"/> that goes with a block of weights.</summary>
    private protected static Span<T> Slot<T>(object[] slots, int index, int offset, int length) => ((T[])slots[index]).AsSpan(offset, length);

    private object[] CreateSlots<T>(int length)
    {
        var slots = new object[SlotCount];
        for (var i = 0; i < slots.Length; i++)
        {
            slots[i] = new T[length];
        }

        return slots;
    }

    /// <summary>
    /// One weight's update in fixed blocks run in parallel: the rules are element-wise, so any
    /// split gives the same values; blocks only let large weights (the mlp's 400K) use both cores.
    /// </summary>
    private sealed class StepJob<T>(Optimizer optimizer) : Kernels.IParallelBody
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private const int BlockSize = 32 * 1024;
        private ParameterBuffer<T>? _parameter;
        private object[] _slots = [];
        private double _learningRate;
        private long _step;

        public void Run(ParameterBuffer<T> parameter, object[] slots, double learningRate, long step)
        {
            (_parameter, _slots, _learningRate, _step) = (parameter, slots, learningRate, step);
            Kernels.WorkerPool.Shared.Run((parameter.Value.Length + BlockSize - 1) / BlockSize, this);
            _parameter = null;
        }

        public void Invoke(int index)
        {
            var start = index * BlockSize;
            var length = Math.Min(BlockSize, _parameter!.Value.Length - start);
            var weights = _parameter.Value.AsSpan(start, length);
            if (optimizer.WeightDecay > 0)
            {
                var decay = T.One - T.CreateChecked(_learningRate * optimizer.WeightDecay);
                System.Numerics.Tensors.TensorPrimitives.Multiply(weights, decay, weights);
            }

            optimizer.Update(weights, _parameter.Gradient.AsSpan(start, length), _slots, start, _learningRate, _step);
        }
    }
}
