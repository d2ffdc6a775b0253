using Microsoft.ML;
using MnistMl.Tests.Data;
using MnistMl.Trainers;

namespace MnistMl.Tests.Trainers;

/// <summary>
/// One prediction engine misused by 8 threads at once (issue 14 #3): it used to corrupt memory in
/// the cnn kernels and kill the process. Now a thread that finds our scorer busy gets a clear
/// <see cref="InvalidOperationException"/>, and the calls that do run still give the right scores.
/// ML.NET's own PredictionEngine code (copying rows in and out) is not thread-safe either and may
/// throw its own managed exceptions first; those are allowed, from ML.NET's frames only.
/// </summary>
public sealed class SharedPredictionEngineTests
{
    private const int Threads = 8;
    private const int CallsPerThread = 300;

    [Fact]
    public void Eight_threads_sharing_one_engine_get_a_clear_error_never_corrupt_memory()
    {
        var model = UntrainedCnn();
        var images = Enumerable.Range(0, Threads).Select(i => DigitImage.FromPixels(MnistTestData.Test.GetImage(i))).ToArray();
        var expected = images.Select(image => model.Predict(image).Scores).ToArray();
        using var engine = model.CreatePredictionEngine();

        var busy = 0;
        var right = 0;
        var other = new List<Exception>();
        using var start = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (var call = 0; call < CallsPerThread; call++)
            {
                try
                {
                    var scores = engine.Predict(images[t]).Scores;
                    if (scores.AsSpan().SequenceEqual(expected[t]))
                    {
                        Interlocked.Increment(ref right);
                    }
                }
                catch (InvalidOperationException ex) when (ex.Message.StartsWith("This predictor is already running on another thread.", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref busy);
                }
                catch (Exception ex)
                {
                    lock (other)
                    {
                        other.Add(ex);
                    }
                }
            }
        })).ToList();
        threads.ForEach(thread => thread.Start());
        threads.ForEach(thread => thread.Join());

        Assert.All(other, ex => Assert.True(ThrownByMlNet(ex), $"{ex.GetType()}: {ex.Message}\n{ex.StackTrace}"));
        Assert.True(busy > 0, "no call found the engine busy: the misuse went undetected");
        Assert.True(right > 0, "no call gave the image's own scores");
    }

    /// <summary>Whether the first frame outside the base library is ML.NET's.</summary>
    private static bool ThrownByMlNet(Exception ex) =>
        new System.Diagnostics.StackTrace(ex).GetFrames()
            .Select(frame => frame.GetMethod()?.DeclaringType?.FullName ?? string.Empty)
            .First(type => !type.StartsWith("System.", StringComparison.Ordinal))
            .StartsWith("Microsoft.ML.", StringComparison.Ordinal);

    /// <summary>The cnn recipe after one step on 100 images: its kernels are what matters here, not its accuracy.</summary>
    private static MnistModel UntrainedCnn()
    {
        var ml = new MLContext(seed: 1);
        var trainer = ml.MulticlassClassification.Trainers.KerasCnn(new KerasCnnTrainer.Options { Preset = "cnn", Epochs = 1, BatchSize = 100, Seed = 1 });
        return MnistModel.FromTransformer(trainer.Fit(ml.Data.LoadMnist(MnistTestData.Slice(MnistTestData.Train, 0, 100))));
    }
}
