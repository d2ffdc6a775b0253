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
}
