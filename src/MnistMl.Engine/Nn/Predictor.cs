using MnistMl.Nn.Kernels;

namespace MnistMl.Nn;

/// <summary>
/// Inference for one thread: its own copy of a model's network and an input buffer for up to
/// <see cref="Capacity"/> samples. Several predictors of one model run in parallel safely. A
/// second thread calling <see cref="Run"/> while one is running throws rather than let the
/// network's native buffers be shared; the input buffer is not guarded (writes to it are
/// bounds-checked managed spans: a misuse gets wrong inputs, never corrupt memory).
/// </summary>
internal sealed class Predictor
{
    /// <summary>Why a second thread may not run a predictor that is running.</summary>
    internal const string ConcurrentUseMessage =
        "This predictor is already running on another thread. An ML.NET PredictionEngine (and the predictor under it) serves one thread at a time: create one per thread (or use PredictionEnginePool), or call MnistModel.Predict, which is thread-safe.";

    private readonly Network<float> _network;
    private readonly float[] _input;
    private int _running;

    public Predictor(Network<float> network, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _network = network;
        Capacity = capacity;
        _input = new float[capacity * network.InputSize];
    }

    public int Capacity { get; }

    public int InputSize => _network.InputSize;

    public int OutputSize => _network.OutputSize;

    /// <summary>Where to write the features of sample <paramref name="index"/> of the next run.</summary>
    public Span<float> Input(int index) => _input.AsSpan(index * InputSize, InputSize);

    /// <summary>Where to write the features of the first <paramref name="count"/> samples, one after another.</summary>
    public Span<float> Inputs(int count) => _input.AsSpan(0, count * InputSize);

    /// <summary>
    /// Runs the first <paramref name="count"/> samples; the outputs stay valid until the next run.
    /// Fewer samples than threads run on the calling thread alone: a single image's layers are too
    /// small to share (cnn: 0.025 ms on one thread, 0.034 ms handing work to a second one).
    /// </summary>
    /// <exception cref="InvalidOperationException">Another thread is running this predictor.</exception>
    public ReadOnlySpan<float> Run(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Capacity);
        if (Interlocked.Exchange(ref _running, 1) != 0)
        {
            throw new InvalidOperationException(ConcurrentUseMessage);
        }

        try
        {
            return Forward(count);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    private ReadOnlySpan<float> Forward(int count)
    {
        if (count >= WorkerPool.Shared.ThreadCount || WorkerPool.KeepOnCallingThread)
        {
            return _network.Forward(_input, count, training: false).AsSpan(0, count * OutputSize);
        }

        WorkerPool.KeepOnCallingThread = true;
        try
        {
            return _network.Forward(_input, count, training: false).AsSpan(0, count * OutputSize);
        }
        finally
        {
            WorkerPool.KeepOnCallingThread = false;
        }
    }
}
