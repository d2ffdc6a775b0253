namespace MnistMl.Nn;

/// <summary>A learning rate that depends on the optimizer's step count (Keras's <c>LearningRateSchedule</c>).</summary>
public abstract class LearningRateSchedule
{
    /// <summary>The learning rate for step <paramref name="step"/> (counted from 0).</summary>
    public abstract double GetLearningRate(long step);

    /// <summary>Multiplies the rate by <paramref name="factor"/> every <paramref name="stepSize"/> steps.</summary>
    public static LearningRateSchedule Step(double initialLearningRate, long stepSize, double factor) =>
        new ExponentialDecay(initialLearningRate, stepSize, factor, staircase: true);

    /// <summary><c>lr · rate^(step / decaySteps)</c>, continuous or, with <paramref name="staircase"/>, in steps.</summary>
    public static LearningRateSchedule Exponential(double initialLearningRate, long decaySteps, double decayRate, bool staircase = false) =>
        new ExponentialDecay(initialLearningRate, decaySteps, decayRate, staircase);

    /// <summary>Cosine from the initial rate down to <c>alpha · lr</c> over <paramref name="decaySteps"/>, then flat.</summary>
    public static LearningRateSchedule Cosine(double initialLearningRate, long decaySteps, double alpha = 0) =>
        new CosineDecay(initialLearningRate, decaySteps, alpha);

    /// <summary>
    /// The one-cycle policy (Smith and Topin, 2017; PyTorch's <c>OneCycleLR</c> with cosine
    /// annealing): from <c>max / initialDivisor</c> up to <paramref name="maxLearningRate"/> over the
    /// first <paramref name="warmupFraction"/> of <paramref name="totalSteps"/>, then down to
    /// <c>max / initialDivisor / finalDivisor</c> at the last step, each phase along a half cosine; flat after.
    /// Unlike PyTorch's: the warm-up fraction defaults to 0.25 (PyTorch 0.3), Adam's β₁ is not
    /// cycled, the peak is at least step 1, and steps past the end keep the last rate rather than fail.
    /// </summary>
    public static LearningRateSchedule OneCycle(double maxLearningRate, long totalSteps, double warmupFraction = 0.25, double initialDivisor = 25, double finalDivisor = 1e4) =>
        new OneCycleSchedule(maxLearningRate, totalSteps, warmupFraction, initialDivisor, finalDivisor);

    private sealed class ExponentialDecay : LearningRateSchedule
    {
        private readonly double _initial;
        private readonly long _decaySteps;
        private readonly double _rate;
        private readonly bool _staircase;

        public ExponentialDecay(double initial, long decaySteps, double rate, bool staircase)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(initial);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(decaySteps);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rate);
            (_initial, _decaySteps, _rate, _staircase) = (initial, decaySteps, rate, staircase);
        }

        public override double GetLearningRate(long step)
        {
            var p = (double)step / _decaySteps;
            return _initial * Math.Pow(_rate, _staircase ? Math.Floor(p) : p);
        }
    }

    private sealed class CosineDecay : LearningRateSchedule
    {
        private readonly double _initial;
        private readonly long _decaySteps;
        private readonly double _alpha;

        public CosineDecay(double initial, long decaySteps, double alpha)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(initial);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(decaySteps);
            ArgumentOutOfRangeException.ThrowIfNegative(alpha);
            (_initial, _decaySteps, _alpha) = (initial, decaySteps, alpha);
        }

        public override double GetLearningRate(long step)
        {
            var progress = Math.Min(step, _decaySteps) / (double)_decaySteps;
            var cosine = 0.5 * (1 + Math.Cos(Math.PI * progress));
            return _initial * (((1 - _alpha) * cosine) + _alpha);
        }
    }

    private sealed class OneCycleSchedule : LearningRateSchedule
    {
        private readonly double _max;
        private readonly double _initial;
        private readonly double _final;
        private readonly double _peakStep;
        private readonly double _lastStep;

        public OneCycleSchedule(double max, long totalSteps, double warmupFraction, double initialDivisor, double finalDivisor)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
            ArgumentOutOfRangeException.ThrowIfLessThan(totalSteps, 2);
            if (!(warmupFraction > 0 && warmupFraction < 1))
            {
                throw new ArgumentOutOfRangeException(nameof(warmupFraction), warmupFraction, "The warm-up fraction must be in (0, 1).");
            }

            ArgumentOutOfRangeException.ThrowIfLessThan(initialDivisor, 1);
            ArgumentOutOfRangeException.ThrowIfLessThan(finalDivisor, 1);
            (_max, _initial, _final) = (max, max / initialDivisor, max / initialDivisor / finalDivisor);
            _lastStep = totalSteps - 1;
            _peakStep = Math.Max(1, (warmupFraction * totalSteps) - 1);
        }

        public override double GetLearningRate(long step) => step <= _peakStep
            ? Anneal(_initial, _max, step / _peakStep)
            : Anneal(_max, _final, Math.Min(1, (step - _peakStep) / (_lastStep - _peakStep)));

        private static double Anneal(double start, double end, double progress) => end + ((start - end) / 2 * (Math.Cos(Math.PI * progress) + 1));
    }
}
