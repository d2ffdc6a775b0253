using System.Numerics;

namespace MnistMl.Nn.Kernels;

/// <summary>
/// The element-wise tail of a Dense or Conv2D layer over a whole batch, split into fixed blocks of
/// rows run in parallel: forward adds the bias and applies the activation, backward turns output
/// gradients into pre-activation gradients. Blocks depend only on the row width, never on the
/// thread count, so every element takes the same code path in every run.
/// </summary>
internal sealed class BiasActivationJob<T> : IParallelBody
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>About 16K values per block: enough work to be worth a thread hand-off.</summary>
    private const int BlockValues = 16 * 1024;

    private readonly Activation _activation;
    private readonly T[] _bias;
    private readonly int _width;
    private readonly int _rowsPerBlock;
    private T[] _values = [];
    private T[] _outputs = [];
    private T[] _scratch = [];
    private int _rows;
    private bool _backward;

    public BiasActivationJob(Activation activation, T[] bias)
    {
        _activation = activation;
        _bias = bias;
        _width = bias.Length;
        _rowsPerBlock = Math.Max(1, BlockValues / _width);
    }

    /// <summary><c>values = activation(values + bias)</c> for <paramref name="rows"/> rows.</summary>
    public void Forward(T[] values, int rows, T[] scratch)
    {
        (_values, _scratch, _rows, _backward) = (values, scratch, rows, false);
        Run();
    }

    /// <summary>
    /// <c>values = activation(values + bias)</c> for rows [<paramref name="firstRow"/>, +<paramref name="rows"/>),
    /// on the calling thread: for kernels that finish each group of samples while it is in cache.
    /// </summary>
    public void ForwardRowsOnCurrentThread(T[] values, int firstRow, int rows, T[] scratch)
    {
        var start = firstRow * _width;
        ForwardRowsOnCurrentThread(values.AsSpan(start, rows * _width), scratch.AsSpan(start, rows * _width));
    }

    /// <summary><c>values = activation(values + bias)</c> for whole rows, on the calling thread; <paramref name="scratch"/> is at least as long.</summary>
    public void ForwardRowsOnCurrentThread(Span<T> values, Span<T> scratch)
    {
        var relu = _activation == Activation.Relu;
        BiasKernels.Add<T>(values, _bias, relu);
        if (!relu)
        {
            ActivationFunctions.Forward(_activation, values, _width, scratch[..values.Length]);
        }
    }

    /// <summary><c>gradient *= activation'(outputs)</c> for <paramref name="rows"/> rows.</summary>
    public void Backward(T[] outputs, T[] gradient, int rows)
    {
        (_outputs, _values, _rows, _backward) = (outputs, gradient, rows, true);
        Run();
    }

    /// <summary>
    /// <c>gradient *= activation'(outputs)</c> for rows [<paramref name="firstRow"/>, +<paramref name="rows"/>),
    /// on the calling thread.
    /// </summary>
    public void BackwardRowsOnCurrentThread(T[] outputs, T[] gradient, int firstRow, int rows)
    {
        var start = firstRow * _width;
        ActivationFunctions.Backward<T>(_activation, outputs.AsSpan(start, rows * _width), gradient.AsSpan(start, rows * _width), _width);
    }

    public void Invoke(int index)
    {
        var firstRow = index * _rowsPerBlock;
        var rows = Math.Min(_rowsPerBlock, _rows - firstRow);
        if (_backward)
        {
            BackwardRowsOnCurrentThread(_outputs, _values, firstRow, rows);
        }
        else
        {
            ForwardRowsOnCurrentThread(_values, firstRow, rows, _scratch);
        }
    }

    private void Run()
    {
        WorkerPool.Shared.Run((_rows + _rowsPerBlock - 1) / _rowsPerBlock, this);
        (_values, _outputs, _scratch) = ([], [], []);
    }
}
