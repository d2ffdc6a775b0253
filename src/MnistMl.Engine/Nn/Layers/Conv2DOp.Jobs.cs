using MnistMl.Nn.Kernels;

namespace MnistMl.Nn;

/// <summary>
/// How a convolution's arithmetic (Conv2DOp.cs) is shared out: the per-sample and per-group jobs
/// the worker pool runs, and the buffers each thread keeps. Every job writes only its own samples'
/// or group's slots, so results do not depend on which thread runs what.
/// </summary>
internal sealed partial class Conv2DOp<T>
{
    /// <summary>Per-thread patch buffers of the grouped path, reused by every Conv2D layer.</summary>
    private static class ThreadBuffers
    {
        [ThreadStatic]
        private static T[]? _columns;

        [ThreadStatic]
        private static T[]? _columnGradient;

        [ThreadStatic]
        private static T[]? _padded;

        public static T[] Columns(int size) => Ensure(ref _columns, size);

        public static T[] Padded(int size) => Ensure(ref _padded, size);

        [ThreadStatic]
        private static T[]? _outputs;

        [ThreadStatic]
        private static T[]? _outputScratch;

        [ThreadStatic]
        private static T[]? _outputGradient;

        [ThreadStatic]
        private static int[]? _winnerIndices;

        public static T[] ColumnGradient(int size) => Ensure(ref _columnGradient, size);

        public static T[] Outputs(int size) => Ensure(ref _outputs, size);

        public static T[] OutputScratch(int size) => Ensure(ref _outputScratch, size);

        public static T[] OutputGradient(int size) => Ensure(ref _outputGradient, size);

        /// <summary>One sample's pooling winners as indices into its outputs.</summary>
        public static int[] WinnerIndices(int size) => Ensure(ref _winnerIndices, size);
    }

    private sealed class UnfoldJob(Conv2DOp<T> op) : PerSampleJob
    {
        public int First { get; set; }

        public T[] Columns { get; set; } = [];

        public override void Invoke(int index) => op.UnfoldSample(First + index, Columns, index);
    }

    private sealed class FoldJob(Conv2DOp<T> op) : PerSampleJob
    {
        public int First { get; set; }

        public T[] ColumnGradient { get; set; } = [];

        public T[] InputGradient { get; set; } = [];

        public override void Invoke(int index) => op.FoldSample(First + index, ColumnGradient, index, InputGradient);
    }

    /// <summary>
    /// Forward of a batch too small for groups through <see cref="DirectConvolution"/>: each task
    /// takes one sample from pixels to activated outputs. A single prediction runs on the caller.
    /// </summary>
    private sealed class DirectForwardJob(Conv2DOp<T> op) : PerSampleJob
    {
        private T[] _output = [], _scratch = [];

        public void Run(int batch, T[] output, T[] scratch)
        {
            (_output, _scratch) = (output, scratch);
            Run(batch);
            (_output, _scratch) = ([], []);
        }

        public override void Invoke(int index)
        {
            op.DirectSample(index, _output, index * op.OutputValuesPerSample);
            op.FinishRows(_output, index * op._g.OutputPixels, op._g.OutputPixels, _scratch);
        }
    }

    /// <summary>Inference of one sample from pixels to pooled outputs (<see cref="PoolsDirectly"/>).</summary>
    private sealed class DirectPooledJob(Conv2DOp<T> op) : PerSampleJob
    {
        public override void Invoke(int index)
        {
            var g = op._g;
            var pooledSize = op._pool!.OutputSize;
            DirectConvolution.ForwardPooled<T>(
                g,
                op._filters,
                op._input.AsSpan(index * g.InputSize, g.InputSize),
                op._kernel.Value,
                op._bias.Value,
                op._activation == Activation.Relu,
                op._pool.Geometry,
                op._pooled.AsSpan(index * pooledSize, pooledSize),
                ThreadBuffers.Padded(DirectConvolution.PaddedSize(g)));
        }
    }

    /// <summary>
    /// Inference of one group of samples through the cropped Winograd convolution, bias, activation
    /// and pooling. For relu, elu and no activation it pools first, so the bias and activation
    /// (an exponential for elu) touch a quarter of the values: the same bits, since adding the
    /// bias never reorders values (rounding is monotonic) and neither do these activations. Elu's
    /// vectorised exponential was checked over every negative float: it never decreases but at
    /// one pair of neighbours (−0.3465736 and the float after it, one ulp), which would have to
    /// meet in one window to change a bit.
    /// </summary>
    private sealed class WinogradPooledJob(Conv2DOp<T> op) : IParallelBody
    {
        public void Run(int batch)
        {
            op._samplesInRun = batch;
            WorkerPool.Shared.Run(op.GroupCount(batch), this);
        }

        public void Invoke(int index)
        {
            var (winograd, pool) = (op._croppedWinograd!, op._croppedPool);
            var (first, samples) = op.GroupSamples(index);
            var perSample = pool.InputSize;
            var outputs = ThreadBuffers.Outputs(op._samplesPerGroup * op.OutputValuesPerSample);
            var scratch = ThreadBuffers.OutputScratch(op._samplesPerGroup * op.OutputValuesPerSample);
            winograd.Forward(op._input, first * winograd.TilesPerSample, samples * winograd.TilesPerSample, outputs, first);
            var poolFirst = op._activation is Activation.Relu or Activation.Elu or Activation.Linear;
            if (!poolFirst)
            {
                op._tail.ForwardRowsOnCurrentThread(outputs, 0, samples * pool.Height * pool.Width, scratch);
            }

            var pooledSize = op._pool!.OutputSize;
            var pooled = op._pooled.AsSpan(first * pooledSize, samples * pooledSize);
            for (var i = 0; i < samples; i++)
            {
                MaxPoolKernel.Forward<T>(pool, outputs.AsSpan(i * perSample, perSample), pooled.Slice(i * pooledSize, pooledSize));
            }

            if (poolFirst)
            {
                op._tail.ForwardRowsOnCurrentThread(pooled, scratch);
            }
        }
    }

    /// <summary>Forward for one group of samples: unfold, product, bias and activation.</summary>
    private sealed class ForwardGroupJob(Conv2DOp<T> op) : IParallelBody
    {
        private T[] _output = [], _scratch = [];

        public void Run(int batch, T[] output, T[] scratch)
        {
            (op._samplesInRun, _output, _scratch) = (batch, output, scratch);
            WorkerPool.Shared.Run(op.GroupCount(batch), this);
            (_output, _scratch) = ([], []);
        }

        public void Invoke(int index)
        {
            var g = op._g;
            var (first, samples) = op.GroupSamples(index);
            var rows = samples * g.OutputPixels;
            if (!op._pooledThisBatch)
            {
                var firstRow = first * g.OutputPixels;
                op.GroupProduct(index, _output, 0);
                op.FinishRows(_output, firstRow, rows, _scratch);
                return;
            }

            // Fused with the pooling: the group's outputs live only in this thread's buffers.
            var size = op._samplesPerGroup * op.OutputValuesPerSample;
            var outputs = ThreadBuffers.Outputs(size);
            var scratch = ThreadBuffers.OutputScratch(size);
            op.GroupProduct(index, outputs, first);
            op.FinishRows(outputs, 0, rows, scratch);
            var pool = op._pool!;
            var pooledSize = pool.OutputSize;
            for (var i = 0; i < samples; i++)
            {
                var sample = first + i;
                MaxPoolKernel.ForwardWindowPositions<T>(
                    pool.Geometry,
                    outputs.AsSpan(i * op.OutputValuesPerSample, op.OutputValuesPerSample),
                    op._pooled.AsSpan(sample * pooledSize, pooledSize),
                    op._winnerPositions.AsSpan(sample * pooledSize, pooledSize));
            }
        }
    }

    /// <summary>
    /// Backward for one group of samples: pre-activation gradients, the group's kernel and bias
    /// gradients into its slot, and the input gradient (dPatches = dz · kernelᵀ, folded at once).
    /// </summary>
    private sealed class BackwardGroupJob(Conv2DOp<T> op) : IParallelBody
    {
        private T[] _outputGradient = [], _slots = [];
        private T[]? _inputGradient;

        public void Run(int batch, T[] outputGradient, T[]? inputGradient, T[] slots)
        {
            (op._samplesInRun, _outputGradient, _inputGradient, _slots) = (batch, outputGradient, inputGradient, slots);
            WorkerPool.Shared.Run(op.GroupCount(batch), this);
            (_outputGradient, _inputGradient, _slots) = ([], null, []);
        }

        public void Invoke(int index)
        {
            var g = op._g;
            var filters = op._filters;
            var (first, samples) = op.GroupSamples(index);
            var firstRow = first * g.OutputPixels;
            var rows = samples * g.OutputPixels;
            T[] dz;
            int dzOffset;
            if (op._pooledThisBatch)
            {
                dz = ScatterPooledGradient(first, samples);
                dzOffset = 0;
            }
            else
            {
                (dz, dzOffset) = (_outputGradient, firstRow * filters);
                if (!op.OutputGradientIsPreActivation)
                {
                    op._tail.BackwardRowsOnCurrentThread(op._output!, _outputGradient, firstRow, rows);
                }
            }

            var slot = index * op.GroupGradientSize;
            BiasKernels.SumRows<T>(dz.AsSpan(dzOffset, rows * filters), _slots.AsSpan(slot + (g.PatchSize * filters), filters));
            if (op._winograd is not null)
            {
                var dzFirstSample = op._pooledThisBatch ? first : 0;
                op._winograd.Backward(op._input, first, samples, dz, dzFirstSample, _inputGradient, _slots.AsSpan(slot, g.PatchSize * filters));
                return;
            }

            var columns = op.UnfoldGroup(index);
            Gemm.MultiplyOnCurrentThread(columns, 0, true, dz, dzOffset, false, _slots, slot, g.PatchSize, filters, rows, accumulate: false);
            if (_inputGradient is null)
            {
                return;
            }

            var columnGradient = ThreadBuffers.ColumnGradient(op._samplesPerGroup * op.PatchRowsPerSample);
            Gemm.MultiplyOnCurrentThread(dz, dzOffset, false, op._kernelTransposed!, 0, false, columnGradient, 0, rows, g.PatchSize, filters, accumulate: false);
            for (var i = 0; i < samples; i++)
            {
                op.FoldSample(first + i, columnGradient, i, _inputGradient);
            }
        }

        /// <summary>
        /// The group's pre-activation gradient from the pooled one: zero except at each window's
        /// winner, where it is the pooled gradient times the activation's derivative at the pooled
        /// value (the winner's own output) — what pooling backward then activation backward give.
        /// </summary>
        private T[] ScatterPooledGradient(int first, int samples)
        {
            var perSample = op.OutputValuesPerSample;
            var dz = ThreadBuffers.OutputGradient(op._samplesPerGroup * perSample);
            dz.AsSpan(0, samples * perSample).Clear();
            var pool = op._pool!;
            var pooledSize = pool.OutputSize;
            var winners = ThreadBuffers.WinnerIndices(pooledSize).AsSpan(0, pooledSize);
            for (var i = 0; i < samples; i++)
            {
                var at = (first + i) * pooledSize;
                var pooled = op._pooled.AsSpan(at, pooledSize);
                var gradient = _outputGradient.AsSpan(at, pooledSize);
                MaxPoolKernel.WinnerIndices(pool.Geometry, op._winnerPositions.AsSpan(at, pooledSize), winners);
                ActivationFunctions.BackwardScattered<T>(op._activation, pooled, gradient, winners, dz.AsSpan(i * perSample, perSample));
            }

            return dz;
        }
    }

    /// <summary>
    /// Winograd forward of a whole (small) batch: its rows of tiles shared out across the threads
    /// in runs short enough that even a single image keeps every thread busy (and no shorter: each
    /// run sets up its products), each run finished
    /// (bias, activation) while in cache. Each output depends on its tile alone, so how the tiles
    /// are shared out never changes a result.
    /// </summary>
    private sealed class WinogradForwardJob(Conv2DOp<T> op) : IParallelBody
    {
        private WinogradConvolution<T> _winograd = null!;
        private T[] _output = [], _scratch = [];
        private int _tileRows, _tileRowsPerTask, _outputWidth;

        /// <summary>Runs <paramref name="winograd"/> (the layer's, or its cropped one) whose outputs are <paramref name="outputWidth"/> pixels wide.</summary>
        public void Run(WinogradConvolution<T> winograd, int outputWidth, int batch, T[] output, T[] scratch)
        {
            (_winograd, _outputWidth, _output, _scratch, _tileRows) = (winograd, outputWidth, output, scratch, batch * winograd.TileRowsPerSample);
            var threads = WorkerPool.Shared.AvailableThreads;
            _tileRowsPerTask = Math.Clamp((_tileRows + threads - 1) / threads, 1, Math.Max(1, winograd.ChunkTiles / winograd.TilesPerRow));
            WorkerPool.Shared.Run((_tileRows + _tileRowsPerTask - 1) / _tileRowsPerTask, this);
            (_winograd, _output, _scratch) = (null!, [], []);
        }

        public void Invoke(int index)
        {
            var first = index * _tileRowsPerTask;
            var end = Math.Min(_tileRows, first + _tileRowsPerTask);
            _winograd.Forward(op._input, first * _winograd.TilesPerRow, (end - first) * _winograd.TilesPerRow, _output, 0);

            // Whole rows of tiles cover whole rows of output pixels, adjacent in memory.
            var firstPixel = _winograd.OutputRowOf(first) * _outputWidth;
            var pixels = (_winograd.OutputRowOf(end) * _outputWidth) - firstPixel;
            op._tail.ForwardRowsOnCurrentThread(_output, firstPixel, pixels, _scratch);
        }
    }

    /// <summary>Kernel and bias gradients: the groups' slots summed in group order, in blocks of elements.</summary>
    private sealed class GradientSumJob(Conv2DOp<T> op) : IParallelBody
    {
        private const int BlockValues = 4096;
        private T[] _slots = [];
        private int _groups;

        public void Run(int groups, T[] slots)
        {
            (_groups, _slots) = (groups, slots);
            WorkerPool.Shared.Run((op.GroupGradientSize + BlockValues - 1) / BlockValues, this);
            _slots = [];
        }

        public void Invoke(int index)
        {
            var size = op.GroupGradientSize;
            var kernelSize = op._kernel.Gradient.Length;
            var start = index * BlockValues;
            var length = Math.Min(BlockValues, size - start);
            var sum = new Span<T>(_slots, start, length);
            for (var group = 1; group < _groups; group++)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(sum, _slots.AsSpan((group * size) + start, length), sum);
            }

            // A slot is the kernel gradient followed by the bias gradient; a block may straddle both.
            var kernelPart = Math.Clamp(kernelSize - start, 0, length);
            if (kernelPart > 0)
            {
                sum[..kernelPart].CopyTo(op._kernel.Gradient.AsSpan(start));
            }

            if (kernelPart < length)
            {
                sum[kernelPart..].CopyTo(op._bias.Gradient.AsSpan(start + kernelPart - kernelSize));
            }
        }
    }
}
