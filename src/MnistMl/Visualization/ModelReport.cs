using System.Text;
using Microsoft.ML.Data;
using MnistMl.Data;
using MnistMl.Evaluation;
using MnistMl.Nn;
using MnistMl.Persistence;
using MnistMl.Training;

namespace MnistMl.Visualization;

/// <summary>
/// Everything a person wants to see about a trained model on one page: its metrics on test data,
/// its training curves (when it has a history), the confusion matrix as a heat map, precision,
/// recall and F1 per class, and a gallery of its most confident mistakes. <see cref="ToHtml"/>
/// writes one self-contained HTML page (inline CSS and SVG, nothing fetched).
/// </summary>
/// <example>
/// <code>
/// var model = MnistModel.Load("mnist.zip");
/// var report = ModelReport.Create(model, MnistDataset.Load(MnistSplit.Test), title: "mnist.zip");
/// Console.WriteLine(report.Mistakes[0]);   // Mistake { Index = 1234, Label = 4, Predicted = 9, Probability = 0.998 }
/// report.Save("report.html");
/// </code>
/// </example>
public sealed class ModelReport
{
    /// <summary>Mistakes shown when not told otherwise.</summary>
    public const int DefaultMistakeCount = 24;

    private ModelReport(string title, MnistDataset test, MulticlassClassificationMetrics metrics, History? history, IReadOnlyList<Mistake> mistakes, int mistakeTotal, string architecture)
    {
        Title = title;
        Test = test;
        Metrics = metrics;
        History = history;
        Mistakes = mistakes;
        MistakeTotal = mistakeTotal;
        Architecture = architecture;
    }

    /// <summary>The page's heading.</summary>
    public string Title { get; }

    /// <summary>The metrics of the model on the test data.</summary>
    public MulticlassClassificationMetrics Metrics { get; }

    /// <summary>The model's training history; null for a model loaded from a file, which does not keep it.</summary>
    public History? History { get; }

    /// <summary>The most confident mistakes: highest probability of the wrong class first, then lowest index.</summary>
    public IReadOnlyList<Mistake> Mistakes { get; }

    /// <summary>How many test images the model got wrong in all (<see cref="Mistakes"/> holds the first few).</summary>
    public int MistakeTotal { get; }

    /// <summary>The network's Keras-style summary table.</summary>
    public string Architecture { get; }

    /// <summary>The evaluated images, for drawing the mistakes.</summary>
    internal MnistDataset Test { get; }

    /// <summary>Scores every image of <paramref name="test"/> once and gathers the report.</summary>
    /// <param name="model">The model.</param>
    /// <param name="test">Labelled images, e.g. the MNIST test split.</param>
    /// <param name="mistakeCount">How many of the most confident mistakes to keep, 0–1000.</param>
    /// <param name="title">The page's heading, e.g. the model's file name.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mistakeCount"/> is out of range.</exception>
    /// <exception cref="ArgumentException">The data has no images, or labels the model has no class for.</exception>
    /// <exception cref="SchemaMismatchException">The images are not the size the model reads.</exception>
    public static ModelReport Create(MnistModel model, MnistDataset test, int mistakeCount = DefaultMistakeCount, string title = "MnistMl model report")
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(title);
        ArgumentOutOfRangeException.ThrowIfNegative(mistakeCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(mistakeCount, 1000);
        if (test.Count == 0)
        {
            throw new ArgumentException("The data has no images to evaluate.", nameof(test));
        }

        var classCount = Shapes.Product([.. model.Network.OutputShape]);
        var scores = model.Score(test);
        var labels = test.Labels.ToArray().Select(l => (int)l).ToArray();
        if (labels.Max() >= classCount)
        {
            throw new ArgumentException($"The data has label {labels.Max()}; the model has classes 0–{classCount - 1}.", nameof(test));
        }

        var metrics = ScoredImages.Evaluate(test.Labels.Span, scores, classCount);
        var mistakes = new List<Mistake>();
        for (var row = 0; row < labels.Length; row++)
        {
            var rowScores = scores.AsSpan(row * classCount, classCount);
            var predicted = Metric.ArgMax<float>(rowScores);
            if (predicted != labels[row])
            {
                mistakes.Add(new Mistake(row, labels[row], predicted, rowScores[predicted]));
            }
        }

        var shown = mistakes.OrderByDescending(m => m.Probability).ThenBy(m => m.Index).Take(mistakeCount).ToArray();
        return new ModelReport(title, test, metrics, model.History, shown, mistakes.Count, model.Network.Summary(TextWriter.Null));
    }

    /// <summary>The report as one self-contained HTML page.</summary>
    public string ToHtml() => ModelReportHtml.Write(this);

    /// <summary>Saves <see cref="ToHtml"/> as a UTF-8 file, atomically.</summary>
    public void Save(string path)
    {
        var html = ToHtml();
        AtomicFile.Write(path, stream => stream.Write(Encoding.UTF8.GetBytes(html)));
    }
}
