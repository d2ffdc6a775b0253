namespace MnistMl.Training;

/// <summary>
/// Stops training when a monitored figure has not improved for <c>patience</c> epochs, optionally
/// putting back the weights of the best epoch (Keras's <c>EarlyStopping</c>).
/// </summary>
public sealed class EarlyStopping : Callback
{
    private readonly MonitoredValue _monitor;
    private double _best;
    private int _wait;
    private float[][]? _bestWeights;

    /// <summary>Creates the callback; defaults as in Keras.</summary>
    /// <param name="monitor">Figure to watch, e.g. <c>val_loss</c>.</param>
    /// <param name="patience">Epochs without improvement before stopping.</param>
    /// <param name="minDelta">Smallest change that counts as an improvement.</param>
    /// <param name="restoreBestWeights">Put back the best epoch's weights at the end.</param>
    /// <param name="mode"><c>auto</c>, <c>min</c> or <c>max</c>.</param>
    public EarlyStopping(string monitor = "val_loss", int patience = 0, double minDelta = 0, bool restoreBestWeights = false, string mode = "auto")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(patience);
        ArgumentOutOfRangeException.ThrowIfNegative(minDelta);
        _monitor = new MonitoredValue(monitor, mode);
        Patience = patience;
        MinDelta = minDelta;
        RestoreBestWeights = restoreBestWeights;
    }

    /// <summary>Epochs without improvement tolerated.</summary>
    public int Patience { get; }

    /// <summary>Smallest improvement that counts.</summary>
    public double MinDelta { get; }

    /// <summary>Whether the best weights are restored.</summary>
    public bool RestoreBestWeights { get; }

    /// <summary>The epoch training stopped after, or null if it ran to the end.</summary>
    public int? StoppedEpoch { get; private set; }

    /// <summary>The epoch with the best monitored figure.</summary>
    public int BestEpoch { get; private set; }

    /// <inheritdoc/>
    public override void OnTrainBegin()
    {
        _best = _monitor.Worst;
        _wait = 0;
        _bestWeights = null;
        StoppedEpoch = null;
        BestEpoch = 0;
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(EpochLogs logs)
    {
        ArgumentNullException.ThrowIfNull(logs);
        var value = _monitor.Read(logs);
        if (_monitor.IsImprovement(value, _best, MinDelta))
        {
            _best = value;
            _wait = 0;
            BestEpoch = logs.Epoch;
            if (RestoreBestWeights)
            {
                _bestWeights = Model!.CopyWeights();
            }

            return;
        }

        if (++_wait > Patience)
        {
            StoppedEpoch = logs.Epoch;
            Model!.StopTraining = true;
        }
    }

    /// <inheritdoc/>
    public override void OnTrainEnd(History history)
    {
        if (RestoreBestWeights && _bestWeights is not null)
        {
            Model!.RestoreWeights(_bestWeights);
        }
    }

    /// <inheritdoc/>
    public override CallbackState SaveState() => new()
    {
        Type = nameof(EarlyStopping),
        Values = new Dictionary<string, double> { ["best"] = _best, ["wait"] = _wait, ["bestEpoch"] = BestEpoch, ["stoppedEpoch"] = StoppedEpoch ?? -1 },
        Arrays = _bestWeights is null ? [] : [.. _bestWeights.Select(w => (float[])w.Clone())],
    };

    /// <inheritdoc/>
    public override void RestoreState(CallbackState state)
    {
        CheckType(state);
        (_best, _wait, BestEpoch) = (state.Get("best"), (int)state.Get("wait"), (int)state.Get("bestEpoch"));
        StoppedEpoch = state.Get("stoppedEpoch") is >= 0 and var stopped ? (int)stopped : null;
        _bestWeights = state.Arrays.Count == 0 ? null : [.. state.Arrays.Select(w => (float[])w.Clone())];
    }
}
