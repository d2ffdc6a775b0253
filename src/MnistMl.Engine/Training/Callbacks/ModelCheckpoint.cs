using System.Globalization;

namespace MnistMl.Training;

/// <summary>
/// Saves the model's weights after each epoch, or only when the monitored figure improves
/// (Keras's <c>ModelCheckpoint</c>). The path may contain <c>{epoch}</c> (counted from 1).
/// Saves are atomic, so an interrupted run keeps the last complete checkpoint. An epoch whose loss
/// is not finite (the training diverged) is never saved.
/// </summary>
public sealed class ModelCheckpoint : Callback
{
    private readonly MonitoredValue _monitor;
    private double _best;

    /// <summary>Creates the callback.</summary>
    /// <param name="filePath">Where to save; <c>{epoch}</c> is replaced by the epoch number.</param>
    /// <param name="monitor">Figure that decides what is best.</param>
    /// <param name="saveBestOnly">Save only when the figure improves.</param>
    /// <param name="mode"><c>auto</c>, <c>min</c> or <c>max</c>.</param>
    public ModelCheckpoint(string filePath, string monitor = "val_loss", bool saveBestOnly = false, string mode = "auto")
    {
        ArgumentException.ThrowIfNullOrEmpty(filePath);
        FilePath = filePath;
        SaveBestOnly = saveBestOnly;
        _monitor = new MonitoredValue(monitor, mode);
    }

    /// <summary>The path pattern.</summary>
    public string FilePath { get; }

    /// <summary>Whether only improvements are saved.</summary>
    public bool SaveBestOnly { get; }

    /// <summary>The last file written, if any.</summary>
    public string? LastSavedPath { get; private set; }

    /// <inheritdoc/>
    public override void OnTrainBegin() => _best = _monitor.Worst;

    /// <inheritdoc/>
    public override void OnEpochEnd(EpochLogs logs)
    {
        ArgumentNullException.ThrowIfNull(logs);
        if (!double.IsFinite(logs.Loss))
        {
            return;
        }

        if (SaveBestOnly)
        {
            var value = _monitor.Read(logs);
            if (!_monitor.IsImprovement(value, _best, 0))
            {
                return;
            }

            _best = value;
        }

        var path = FilePath.Replace("{epoch}", (logs.Epoch + 1).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Model!.SaveWeights(path);
        LastSavedPath = path;
    }

    /// <inheritdoc/>
    public override CallbackState SaveState() => new() { Type = nameof(ModelCheckpoint), Values = new Dictionary<string, double> { ["best"] = _best } };

    /// <inheritdoc/>
    public override void RestoreState(CallbackState state)
    {
        CheckType(state);
        _best = state.Get("best");
    }
}
