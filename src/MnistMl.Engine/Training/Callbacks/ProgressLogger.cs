using System.Globalization;
using System.Text;

namespace MnistMl.Training;

/// <summary>
/// Writes Keras's per-epoch lines:
/// <c>Epoch 1/15</c> then <c>469/469 - 9.8s - loss: 0.2301 - accuracy: 0.9301 - val_loss: ... - val_accuracy: ...</c>.
/// </summary>
public sealed class ProgressLogger(TextWriter writer) : Callback
{
    private int _batches;

    /// <inheritdoc/>
    public override void OnEpochBegin(int epoch) => _batches = 0;

    /// <inheritdoc/>
    public override void OnBatchEnd(in BatchLogs logs)
    {
        if (logs.Batch == 0)
        {
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Epoch {logs.Epoch + 1}/{logs.Epochs}"));
        }

        _batches = logs.Batch + 1;
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(EpochLogs logs)
    {
        ArgumentNullException.ThrowIfNull(logs);
        writer.WriteLine(Format(logs, _batches));
    }

    /// <summary>The figures of an epoch as Keras prints them.</summary>
    public static string Format(EpochLogs logs, int batches)
    {
        ArgumentNullException.ThrowIfNull(logs);
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"{batches}/{batches} - {logs.Seconds:F1}s - loss: {logs.Loss:F4}");
        if (logs.Accuracy is { } a)
        {
            line.Append(CultureInfo.InvariantCulture, $" - accuracy: {a:F4}");
        }

        if (logs.ValLoss is { } vl)
        {
            line.Append(CultureInfo.InvariantCulture, $" - val_loss: {vl:F4}");
        }

        if (logs.ValAccuracy is { } va)
        {
            line.Append(CultureInfo.InvariantCulture, $" - val_accuracy: {va:F4}");
        }

        return line.ToString();
    }
}
