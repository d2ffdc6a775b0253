using System.Diagnostics;

namespace MnistMl.Nn.Kernels;

/// <summary>A loop body that the worker pool runs for each index of a range.</summary>
internal interface IParallelBody
{
    void Invoke(int index);
}

/// <summary>
/// Runs loop bodies on a few persistent threads. Kernels split work so that every output element
/// is produced by exactly one index, with a fixed reduction order inside it; which thread takes
/// which index therefore never changes a result, and indices are handed out dynamically.
/// Nothing is allocated per run, so training allocates nothing per batch.
/// </summary>
internal sealed class WorkerPool : IDisposable
{
    /// <summary>How long an idle worker spins before it blocks: 100 µs.</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 10_000;

    private static WorkerPool? _shared;
    private static int _maxThreads = Math.Min(Environment.ProcessorCount, MaxThreadLimit);

    private readonly Thread[] _threads;
    private readonly SemaphoreSlim _start;
    private readonly CountdownEvent _done;
    private readonly Lock _runLock = new();
    private IParallelBody? _body;
    private int _next;
    private long _runs;
    private int _count;
    private ExceptionDispatchInfoBox? _error;
    private volatile bool _retired;

    private WorkerPool(int threadCount)
    {
        ThreadCount = threadCount;
        _start = new SemaphoreSlim(0);
        _done = new CountdownEvent(1);
        _threads = new Thread[threadCount - 1];
        for (var i = 0; i < _threads.Length; i++)
        {
            _threads[i] = new Thread(WorkerLoop) { IsBackground = true, Name = $"MnistMl worker {i + 1}" };
            _threads[i].Start();
        }
    }

    /// <summary>Threads that run a body, the calling thread included.</summary>
    public int ThreadCount { get; }

    /// <summary>The most worker threads <see cref="MaxThreads"/> accepts: far more than any speed-up, far below what exhausts the process.</summary>
    public const int MaxThreadLimit = 256;

    /// <summary>
    /// Threads used by the engine (default: the processor count, up to <see cref="MaxThreadLimit"/>).
    /// Changing it replaces the shared pool; results do not depend on it.
    /// </summary>
    public static int MaxThreads
    {
        get => _maxThreads;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxThreadLimit);
            _maxThreads = value;
        }
    }

    public static WorkerPool Shared
    {
        get
        {
            var pool = _shared;
            if (pool is null || pool.ThreadCount != _maxThreads)
            {
                var replaced = pool;
                pool = new WorkerPool(_maxThreads);
                _shared = pool;
                replaced?.Dispose();
            }

            return pool;
        }
    }

    /// <summary>
    /// Gets or sets a value indicating whether work started on this thread stays on it: set around
    /// work too small to share (a single prediction, where handing tasks to another thread costs
    /// more than it saves). Results are the same either way.
    /// </summary>
    [field: ThreadStatic]
    public static bool KeepOnCallingThread { get; set; }

    /// <summary>Gets the threads work started on this thread may use now: 1 while <see cref="KeepOnCallingThread"/> is set.</summary>
    public int AvailableThreads => KeepOnCallingThread ? 1 : ThreadCount;

    /// <summary>Runs <paramref name="body"/> for every index in [0, count).</summary>
    public void Run(int count, IParallelBody body)
    {
        if (count <= 0)
        {
            return;
        }

        // Small jobs, a single thread, or a pool busy with another caller (concurrent predictions)
        // run on the calling thread: same results, no waiting.
        if (count == 1 || _threads.Length == 0 || KeepOnCallingThread || !_runLock.TryEnter())
        {
            for (var i = 0; i < count; i++)
            {
                body.Invoke(i);
            }

            return;
        }

        try
        {
            if (_retired)
            {
                // Replaced while the caller still held it: finish on the calling thread.
                for (var i = 0; i < count; i++)
                {
                    body.Invoke(i);
                }

                return;
            }

            _body = body;
            _count = count;
            _next = 0;
            _error = null;
            _done.Reset(_threads.Length + 1);
            Interlocked.Increment(ref _runs);
            _start.Release(_threads.Length);
            Work();
            _done.Wait();
            _body = null;
            _error?.Throw();
        }
        finally
        {
            _runLock.Exit();
        }
    }

    /// <summary>Lets the worker threads end once the run in progress, if any, has finished.</summary>
    public void Dispose()
    {
        lock (_runLock)
        {
            _retired = true;
            if (_threads.Length > 0)
            {
                _start.Release(_threads.Length);
            }
        }
    }

    private void WorkerLoop()
    {
        var lastRun = Volatile.Read(ref _runs);
        while (true)
        {
            WaitForWork(ref lastRun);
            if (_retired)
            {
                return;
            }

            Work();
        }
    }

    /// <summary>
    /// Spins briefly before blocking: a training step or a stream of single predictions hands out
    /// runs microseconds apart, and waking a blocked thread costs more than that. The spin only
    /// watches the run counter, so it never contends for the semaphore the caller releases.
    /// </summary>
    private void WaitForWork(ref long lastRun)
    {
        var deadline = Stopwatch.GetTimestamp() + SpinTicks;
        while (Volatile.Read(ref _runs) == lastRun && Stopwatch.GetTimestamp() < deadline)
        {
            Thread.SpinWait(20);
        }

        _start.Wait();
        lastRun = Volatile.Read(ref _runs);
    }

    private void Work()
    {
        try
        {
            var body = _body!;
            int i;
            while ((i = Interlocked.Increment(ref _next) - 1) < _count)
            {
                body.Invoke(i);
            }
        }
        catch (Exception ex)
        {
            Interlocked.CompareExchange(ref _error, new ExceptionDispatchInfoBox(ex), null);
            Volatile.Write(ref _next, int.MaxValue / 2);
        }
        finally
        {
            _done.Signal();
        }
    }

    private sealed class ExceptionDispatchInfoBox(Exception exception)
    {
        private readonly System.Runtime.ExceptionServices.ExceptionDispatchInfo _info =
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(exception);

        public void Throw() => _info.Throw();
    }
}
