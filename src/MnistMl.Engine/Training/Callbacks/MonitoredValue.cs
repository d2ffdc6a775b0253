namespace MnistMl.Training;

/// <summary>Which way a monitored figure improves, and reading it from an epoch's logs.</summary>
internal readonly struct MonitoredValue
{
    private readonly bool _higherIsBetter;

    public MonitoredValue(string monitor, string mode)
    {
        ArgumentException.ThrowIfNullOrEmpty(monitor);
        Monitor = monitor;
        _higherIsBetter = mode switch
        {
            "min" => false,
            "max" => true,
            "auto" => monitor.Contains("acc", StringComparison.Ordinal),
            _ => throw new ArgumentException($"Mode must be 'auto', 'min' or 'max', not '{mode}'.", nameof(mode)),
        };
    }

    public string Monitor { get; }

    public double Worst => _higherIsBetter ? double.NegativeInfinity : double.PositiveInfinity;

    public double Read(EpochLogs logs) => logs.Get(Monitor) ?? throw new InvalidOperationException(
        $"Cannot monitor '{Monitor}': the epoch logs have no such figure. Use 'loss', 'accuracy', or 'val_loss'/'val_accuracy' when there is validation data.");

    /// <summary>True when <paramref name="value"/> beats <paramref name="best"/> by more than <paramref name="minDelta"/>.</summary>
    public bool IsImprovement(double value, double best, double minDelta) =>
        _higherIsBetter ? value - minDelta > best : value + minDelta < best;
}
