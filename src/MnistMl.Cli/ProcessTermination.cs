using System.Runtime.InteropServices;

namespace MnistMl.Cli;

/// <summary>
/// Ctrl+C and SIGTERM: the first asks the running command to stop (its cancellation token is
/// cancelled) and gives it <see cref="GracePeriod"/> to do so; a second signal, or the grace
/// period running out while the command is stuck in work it cannot interrupt, ends the process at
/// once with exit code 130. Nothing is lost by that: every file is written atomically.
/// </summary>
/// <remarks>
/// System.CommandLine's own handler is switched off: it throws from its signal callback when a
/// second signal arrives before the first one was acted on, which aborts the process.
/// </remarks>
internal sealed class ProcessTermination : IDisposable
{
    /// <summary>How long a command has to stop after the first signal.</summary>
    public static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(3);

    private readonly CancellationTokenSource _cancellation = new();
    private readonly CancellationTokenSource _disposed = new();
    private readonly TextWriter _error;
    private readonly PosixSignalRegistration[] _registrations;
    private int _signals;
    private int _exiting;

    /// <summary>Starts listening for SIGINT and SIGTERM; <paramref name="error"/> gets the one-line notice.</summary>
    public ProcessTermination(TextWriter error)
    {
        _error = error;
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal)];
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _cancellation.Token;

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        // The command is over: a pending grace-period exit must not end a process that goes on
        // (tests run commands in-process). Neither source is disposed: a handler already running
        // on the signal thread may still cancel them, and sources without timers hold nothing.
        _disposed.Cancel();
    }

    private void OnSignal(PosixSignalContext context)
    {
        // The runtime's default would end the process before the command could stop cleanly.
        context.Cancel = true;
        if (Interlocked.Increment(ref _signals) > 1)
        {
            Exit();
            return;
        }

        _ = Task.Delay(GracePeriod, _disposed.Token).ContinueWith(_ => Exit(), _disposed.Token, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        _cancellation.Cancel();
    }

    private void Exit()
    {
        if (!_disposed.IsCancellationRequested && Interlocked.Exchange(ref _exiting, 1) == 0)
        {
            _error.WriteLine("mnistml: cancelled: stopped at once.");
            _error.Flush();
            Environment.Exit(ExitCodes.Cancelled);
        }
    }
}
