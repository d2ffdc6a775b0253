namespace MnistMl.Training;

/// <summary>What <c>Fit</c> returns: the figures of every epoch (Keras's <c>History.history</c>).</summary>
public sealed class History
{
    private static readonly string[] KnownKeys = ["loss", "accuracy", "val_loss", "val_accuracy", "learning_rate"];
    private readonly List<EpochLogs> _epochs = [];

    /// <summary>The epochs, in order.</summary>
    public IReadOnlyList<EpochLogs> Epochs => _epochs;

    /// <summary>Training loss per epoch.</summary>
    public IReadOnlyList<double> Loss => [.. _epochs.Select(e => e.Loss)];

    /// <summary>Training accuracy per epoch (empty when not measured).</summary>
    public IReadOnlyList<double> Accuracy => Series("accuracy");

    /// <summary>Validation loss per epoch (empty without validation data).</summary>
    public IReadOnlyList<double> ValLoss => Series("val_loss");

    /// <summary>Validation accuracy per epoch (empty without validation data).</summary>
    public IReadOnlyList<double> ValAccuracy => Series("val_accuracy");

    /// <summary>Seconds of training per epoch.</summary>
    public IReadOnlyList<double> EpochSeconds => [.. _epochs.Select(e => e.Seconds)];

    /// <summary>The series under a Keras key, e.g. <c>history["val_loss"]</c>.</summary>
    /// <exception cref="KeyNotFoundException">No epoch recorded that figure.</exception>
    public IReadOnlyList<double> this[string key]
    {
        get
        {
            var series = Series(key);
            return series.Count > 0 || _epochs.Count == 0
                ? series
                : throw new KeyNotFoundException($"History has no '{key}'. It has: {string.Join(", ", Keys)}.");
        }
    }

    /// <summary>The keys that have figures.</summary>
    public IEnumerable<string> Keys =>
        KnownKeys.Where(k => _epochs.Count > 0 && _epochs[0].Get(k) is not null);

    internal void Add(EpochLogs logs) => _epochs.Add(logs);

    private List<double> Series(string key) =>
        [.. _epochs.Select(e => e.Get(key)).Where(v => v is not null).Select(v => v!.Value)];
}
