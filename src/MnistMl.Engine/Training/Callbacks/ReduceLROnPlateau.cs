namespace MnistMl.Training;

/// <summary>
/// Multiplies the learning rate by <c>factor</c> when a monitored figure stops improving for
/// <c>patience</c> epochs (Keras's <c>ReduceLROnPlateau</c>).
/// </summary>
public sealed class ReduceLROnPlateau : Callback
{
    private readonly MonitoredValue _monitor;
    private double _best;
    private int _wait;
    private int _cooldownLeft;

    /// <summary>Creates the callback; defaults as in Keras.</summary>
    public ReduceLROnPlateau(string monitor = "val_loss", double factor = 0.1, int patience = 10, double minDelta = 1e-4, int cooldown = 0, double minLearningRate = 0, string mode = "auto")
    {
        if (!(factor > 0 && factor < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "The factor must be in (0, 1).");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(patience);
        ArgumentOutOfRangeException.ThrowIfNegative(cooldown);
        ArgumentOutOfRangeException.ThrowIfNegative(minLearningRate);
        _monitor = new MonitoredValue(monitor, mode);
        Factor = factor;
        Patience = patience;
        MinDelta = minDelta;
        Cooldown = cooldown;
        MinLearningRate = minLearningRate;
    }

    /// <summary>Multiplier applied to the learning rate.</summary>
    public double Factor { get; }

    /// <summary>Epochs without improvement before reducing.</summary>
    public int Patience { get; }

    /// <summary>Smallest change that counts as an improvement.</summary>
    public double MinDelta { get; }

    /// <summary>Epochs to wait after a reduction before counting again.</summary>
    public int Cooldown { get; }

    /// <summary>The rate never goes below this.</summary>
    public double MinLearningRate { get; }

    /// <inheritdoc/>
    public override void OnTrainBegin()
    {
        _best = _monitor.Worst;
        _wait = 0;
        _cooldownLeft = 0;
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(EpochLogs logs)
    {
        ArgumentNullException.ThrowIfNull(logs);
        var value = _monitor.Read(logs);
        if (_cooldownLeft > 0)
        {
            _cooldownLeft--;
            _wait = 0;
        }

        if (_monitor.IsImprovement(value, _best, MinDelta))
        {
            _best = value;
            _wait = 0;
            return;
        }

        if (_cooldownLeft == 0 && ++_wait >= Patience)
        {
            var optimizer = Model!.Optimizer!;
            var reduced = Math.Max(optimizer.LearningRate * Factor, MinLearningRate);
            if (reduced < optimizer.LearningRate)
            {
                optimizer.LearningRate = reduced;
            }

            _cooldownLeft = Cooldown;
            _wait = 0;
        }
    }

    /// <inheritdoc/>
    public override CallbackState SaveState() => new()
    {
        Type = nameof(ReduceLROnPlateau),
        Values = new Dictionary<string, double> { ["best"] = _best, ["wait"] = _wait, ["cooldownLeft"] = _cooldownLeft },
    };

    /// <inheritdoc/>
    public override void RestoreState(CallbackState state)
    {
        CheckType(state);
        (_best, _wait, _cooldownLeft) = (state.Get("best"), (int)state.Get("wait"), (int)state.Get("cooldownLeft"));
    }
}
