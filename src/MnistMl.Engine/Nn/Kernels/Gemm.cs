using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MnistMl.Nn.Kernels;

/// <summary>
/// Row-major matrix product <c>C (+)= op(A) · op(B)</c> with <c>op(A)</c> M×K and <c>op(B)</c> K×N,
/// either operand optionally stored transposed. Every layer's forward and backward pass lands here.
/// </summary>
/// <remarks>
/// Operands are read in place where their layout allows (packing cost as much as the product for
/// the thin matrices of convolutions); tasks own disjoint tiles of C and walk K in equal blocks
/// of at most <see cref="KBlock"/>. Each element of C is summed
/// in the same order (k ascending inside a block, blocks in order) whichever thread computes it,
/// which is what makes training bit-identical for any thread count.
/// </remarks>
internal static class Gemm
{
    /// <summary>Rows of op(A) per micro-tile.</summary>
    public const int MR = 8;

    /// <summary>Largest depth of one block of K: 8 rows of A and 2·w columns of B for 256 steps stay in L1.</summary>
    public const int KBlock = 256;

    /// <summary>
    /// Multiply-adds below which a task is not worth handing to another thread (waking a worker
    /// costs microseconds): small products, such as the dnn's 50×50 layers, run on the caller.
    /// </summary>
    private const long MinTaskWork = 256 * 1024;

    /// <summary>
    /// Gets or sets a value indicating whether products started on this thread keep to 256-bit
    /// vectors even where 512-bit ones run natively. Both widths sum every element of C in the
    /// same order, so this changes speed, never results; the tests use it to cover both kernels.
    /// </summary>
    [field: ThreadStatic]
    internal static bool NarrowVectorsOnly { get; set; }

    public static void Multiply<T>(
        T[] a, bool transposeA, T[] b, bool transposeB, T[] c, int m, int n, int k, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Multiply(a, 0, transposeA, b, 0, transposeB, c, 0, m, n, k, accumulate);

    /// <summary>The product on parts of arrays: each operand starts at its offset.</summary>
    public static void Multiply<T>(
        T[] a, int aOffset, bool transposeA, T[] b, int bOffset, bool transposeB, T[] c, int cOffset, int m, int n, int k, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Run(a, aOffset, transposeA, b, bOffset, transposeB, c, cOffset, m, n, k, accumulate, parallel: true);

    /// <summary>
    /// The same product computed entirely on the calling thread, for kernels that already split
    /// their work across the pool (one group of samples per task) and call this from inside it.
    /// Results are bit-identical to <see cref="Multiply{T}(T[], int, bool, T[], int, bool, T[], int, int, int, int, bool)"/>.
    /// </summary>
    public static void MultiplyOnCurrentThread<T>(
        T[] a, int aOffset, bool transposeA, T[] b, int bOffset, bool transposeB, T[] c, int cOffset, int m, int n, int k, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Run(a, aOffset, transposeA, b, bOffset, transposeB, c, cOffset, m, n, k, accumulate, parallel: false);

    /// <summary>
    /// <paramref name="count"/> products of one shape on the calling thread, product i reading and
    /// writing each operand <c>i ·</c> its stride further on: the per-position products of a
    /// Winograd convolution, without setting up the kernel for each of them. Each product is
    /// bit-identical to a call of <see cref="MultiplyOnCurrentThread{T}"/>.
    /// </summary>
    public static void MultiplyManyOnCurrentThread<T>(
        int count, T[] a, int aOffset, int aStride, bool transposeA, T[] b, int bOffset, int bStride, bool transposeB, T[] c, int cOffset, int cStride, int m, int n, int k, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegative(aStride);
        ArgumentOutOfRangeException.ThrowIfNegative(bStride);
        ArgumentOutOfRangeException.ThrowIfNegative(cStride);
        if (count == 0)
        {
            return;
        }

        // Checking the first and the last product checks every one in between.
        Check(a, aOffset, b, bOffset, c, cOffset, m, n, k);
        Check(a, aOffset + ((count - 1) * aStride), b, bOffset + ((count - 1) * bStride), c, cOffset + ((count - 1) * cStride), m, n, k);
        if (k == 0 || m == 0 || n == 0)
        {
            for (var i = 0; i < count; i++)
            {
                Run(a, aOffset + (i * aStride), transposeA, b, bOffset + (i * bStride), transposeB, c, cOffset + (i * cStride), m, n, k, accumulate, parallel: false);
            }

            return;
        }

        var job = GemmJob<T>.ForCurrentThread();
        job.Prepare(a, aOffset, transposeA, b, bOffset, transposeB, c, cOffset, m, n, k, accumulate, threads: 1);
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                job.MoveTo(aOffset + (i * aStride), bOffset + (i * bStride), cOffset + (i * cStride));
            }

            for (var task = 0; task < job.TaskCount; task++)
            {
                job.Invoke(task);
            }
        }

        job.Release();
    }

    /// <summary>Plain triple loop with the same semantics, kept as the reference the tests compare against.</summary>
    public static void MultiplyReference<T>(
        T[] a, bool transposeA, T[] b, bool transposeB, T[] c, int m, int n, int k, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var sum = T.Zero;
                for (var p = 0; p < k; p++)
                {
                    var x = transposeA ? a[(p * m) + i] : a[(i * k) + p];
                    var y = transposeB ? b[(j * k) + p] : b[(p * n) + j];
                    sum += x * y;
                }

                c[(i * n) + j] = accumulate ? c[(i * n) + j] + sum : sum;
            }
        }
    }

    private static void Run<T>(
        T[] a, int aOffset, bool transposeA, T[] b, int bOffset, bool transposeB, T[] c, int cOffset, int m, int n, int k, bool accumulate, bool parallel)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(a, aOffset, b, bOffset, c, cOffset, m, n, k);
        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0)
        {
            if (!accumulate)
            {
                Array.Clear(c, cOffset, m * n);
            }

            return;
        }

        if (m == 1 && !transposeA && !transposeB)
        {
            MultiplyRow(a, aOffset, b, bOffset, c, cOffset, n, k, accumulate);
            return;
        }

        var job = GemmJob<T>.ForCurrentThread();
        job.Prepare(a, aOffset, transposeA, b, bOffset, transposeB, c, cOffset, m, n, k, accumulate, parallel ? WorkerPool.Shared.AvailableThreads : 1);
        if (parallel)
        {
            WorkerPool.Shared.Run(job.TaskCount, job);
        }
        else
        {
            for (var task = 0; task < job.TaskCount; task++)
            {
                job.Invoke(task);
            }
        }

        job.Release();
    }

    /// <summary>
    /// One row of A times B (a single prediction's Dense layer), on the calling thread. Each output
    /// is summed exactly as the tiled product sums it — K in the same equal blocks, each block from
    /// zero with k ascending, the blocks added in order — so a prediction alone gets the bits it
    /// gets inside a batch. The tiled product would run each output's blocks one after another, one
    /// long chain of dependent multiply-adds (1,600 for cnn's last layer); here eight vectors of
    /// outputs, or up to four blocks of a narrow output, run side by side.
    /// </summary>
    private static unsafe void MultiplyRow<T>(T[] a, int aOffset, T[] b, int bOffset, T[] c, int cOffset, int n, int k, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var blocks = (k + KBlock - 1) / KBlock;
        var kBlock = (k + blocks - 1) / blocks;
        fixed (T* pa = a, pb = b, pc = c)
        {
            var row = new RowProduct<T>(pa + aOffset, pb + bOffset, pc + cOffset, n, k, kBlock, b.Length - bOffset, accumulate);
            var vectorEnd = 0;
            if (Vector512.IsHardwareAccelerated && !NarrowVectorsOnly)
            {
                vectorEnd = RowColumns<T, Width512<T>, Vector512<T>>(row);
            }
            else if (Vector256.IsHardwareAccelerated)
            {
                vectorEnd = RowColumns<T, Width256<T>, Vector256<T>>(row);
            }

            for (var j = vectorEnd; j < n; j++)
            {
                RowColumn<T, Width1<T>, T>(row, j, 1);
            }
        }
    }

    /// <summary>Columns of the row product in whole vectors; returns where the vectors stop.</summary>
    private static unsafe int RowColumns<T, TWidth, TVector>(RowProduct<T> row)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TWidth : IVectorWidth<T, TVector>
        where TVector : struct
    {
        var w = TWidth.Count;
        var j = 0;
        for (; j + (8 * w) <= row.N; j += 8 * w)
        {
            RowColumns8<T, TWidth, TVector>(row, j);
        }

        for (; j + w <= row.N; j += w)
        {
            RowColumn<T, TWidth, TVector>(row, j, w);
        }

        // The last columns fill part of a vector when a vector load past them stays inside B but
        // for its last row: lanes past the edge compute garbage that is never stored.
        if (j < row.N && row.N - j >= w / 2 && (long)(row.K - 2) * row.N + j + w <= row.BLength)
        {
            RowColumn<T, TWidth, TVector>(row, j, row.N - j);
            return row.N;
        }

        return j;
    }

    /// <summary>
    /// Eight vectors of columns from <paramref name="j"/> on, block by block: eight independent
    /// chains, and each step reads eight adjacent vectors of a row of B (a wide B, such as the
    /// mlp's 784 × 512, does not fit in L2, and reading it a vector per row stalls on memory).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void RowColumns8<T, TWidth, TVector>(RowProduct<T> row, int j)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TWidth : IVectorWidth<T, TVector>
        where TVector : struct
    {
        var w = TWidth.Count;
        var c = row.C + j;
        for (var k0 = 0; k0 < row.K; k0 += row.KBlock)
        {
            TVector a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
            var y = row.B + ((nint)k0 * row.N) + j;
            var end = Math.Min(row.K, k0 + row.KBlock);
            for (var p = k0; p < end; p++, y += row.N)
            {
                var x = TWidth.Broadcast(row.A[p]);
                a0 = TWidth.MultiplyAdd(x, TWidth.Load(y), a0);
                a1 = TWidth.MultiplyAdd(x, TWidth.Load(y + w), a1);
                a2 = TWidth.MultiplyAdd(x, TWidth.Load(y + (2 * w)), a2);
                a3 = TWidth.MultiplyAdd(x, TWidth.Load(y + (3 * w)), a3);
                a4 = TWidth.MultiplyAdd(x, TWidth.Load(y + (4 * w)), a4);
                a5 = TWidth.MultiplyAdd(x, TWidth.Load(y + (5 * w)), a5);
                a6 = TWidth.MultiplyAdd(x, TWidth.Load(y + (6 * w)), a6);
                a7 = TWidth.MultiplyAdd(x, TWidth.Load(y + (7 * w)), a7);
            }

            var overwrite = k0 == 0 && !row.Accumulate;
            Add<T, TWidth, TVector>(c, a0, overwrite);
            Add<T, TWidth, TVector>(c + w, a1, overwrite);
            Add<T, TWidth, TVector>(c + (2 * w), a2, overwrite);
            Add<T, TWidth, TVector>(c + (3 * w), a3, overwrite);
            Add<T, TWidth, TVector>(c + (4 * w), a4, overwrite);
            Add<T, TWidth, TVector>(c + (5 * w), a5, overwrite);
            Add<T, TWidth, TVector>(c + (6 * w), a6, overwrite);
            Add<T, TWidth, TVector>(c + (7 * w), a7, overwrite);
        }
    }

    /// <summary>Stores a block's sums, or adds them to what the blocks before left, as the tiled product does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Add<T, TWidth, TVector>(T* c, TVector sum, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TWidth : IVectorWidth<T, TVector>
        where TVector : struct =>
        TWidth.Store(overwrite ? sum : TWidth.Add(TWidth.Load(c), sum), c);

    /// <summary>Columns [<paramref name="j"/>, +<paramref name="lanes"/>) of the row product, in one vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void RowColumn<T, TWidth, TVector>(RowProduct<T> row, int j, int lanes)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TWidth : IVectorWidth<T, TVector>
        where TVector : struct
    {
        var w = TWidth.Count;
        var sums = stackalloc T[4 * w];
        var result = stackalloc T[w];

        // A vector of fewer lanes than it holds must not load B's last row whole: it reads past B's end.
        var vectorRows = lanes == w ? row.K : row.K - 1;
        var first = true;
        for (var k0 = 0; k0 < row.K; k0 += 4 * row.KBlock)
        {
            // Up to four blocks at once: independent chains, each from zero, k ascending.
            var chains = Math.Min(4, (row.K - k0 + row.KBlock - 1) / row.KBlock);
            TVector s0 = default, s1 = default, s2 = default, s3 = default;
            var x = row.A + k0;
            var y = row.B + ((nint)k0 * row.N) + j;
            var blockValues = (nint)row.KBlock * row.N;
            var steps = Math.Min(row.KBlock, vectorRows - k0);
            for (var p = 0; p < steps; p++, x++, y += row.N)
            {
                s0 = TWidth.MultiplyAdd(TWidth.Broadcast(x[0]), TWidth.Load(y), s0);
                if (k0 + row.KBlock + p < vectorRows)
                {
                    s1 = TWidth.MultiplyAdd(TWidth.Broadcast(x[row.KBlock]), TWidth.Load(y + blockValues), s1);
                    if (k0 + (2 * row.KBlock) + p < vectorRows)
                    {
                        s2 = TWidth.MultiplyAdd(TWidth.Broadcast(x[2 * row.KBlock]), TWidth.Load(y + (2 * blockValues)), s2);
                        if (k0 + (3 * row.KBlock) + p < vectorRows)
                        {
                            s3 = TWidth.MultiplyAdd(TWidth.Broadcast(x[3 * row.KBlock]), TWidth.Load(y + (3 * blockValues)), s3);
                        }
                    }
                }
            }

            TWidth.Store(s0, sums);
            TWidth.Store(s1, sums + w);
            TWidth.Store(s2, sums + (2 * w));
            TWidth.Store(s3, sums + (3 * w));
            if (vectorRows < row.K && k0 + (4 * row.KBlock) >= row.K)
            {
                // B's last row, the last step of the last chain here, lane by lane.
                var chain = (row.K - 1 - k0) / row.KBlock;
                var last = row.B + ((nint)(row.K - 1) * row.N) + j;
                for (var l = 0; l < lanes; l++)
                {
                    sums[(chain * w) + l] = Width1<T>.MultiplyAdd(row.A[row.K - 1], last[l], sums[(chain * w) + l]);
                }
            }

            for (var chain = 0; chain < chains; chain++, first = false)
            {
                for (var l = 0; l < lanes; l++)
                {
                    var sum = sums[(chain * w) + l];
                    result[l] = !first ? result[l] + sum : row.Accumulate ? row.C[j + l] + sum : sum;
                }
            }
        }

        for (var l = 0; l < lanes; l++)
        {
            row.C[j + l] = result[l];
        }
    }

    /// <summary>The operands of a row product.</summary>
    private readonly unsafe struct RowProduct<T>(T* a, T* b, T* c, int n, int k, int kBlock, long bLength, bool accumulate)
        where T : unmanaged
    {
        public T* A { get; } = a;

        public T* B { get; } = b;

        public T* C { get; } = c;

        public int N { get; } = n;

        public int K { get; } = k;

        public int KBlock { get; } = kBlock;

        /// <summary>Elements of B from its start to the end of its array: how far a vector load may reach.</summary>
        public long BLength { get; } = bLength;

        public bool Accumulate { get; } = accumulate;
    }

    private static void Check<T>(T[] a, int aOffset, T[] b, int bOffset, T[] c, int cOffset, int m, int n, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfNegative(aOffset);
        ArgumentOutOfRangeException.ThrowIfNegative(bOffset);
        ArgumentOutOfRangeException.ThrowIfNegative(cOffset);
        if (a.LongLength - aOffset < (long)m * k || b.LongLength - bOffset < (long)k * n || c.LongLength - cOffset < (long)m * n)
        {
            throw new ArgumentException($"Buffers too small for a {m}×{k} by {k}×{n} product.");
        }
    }

    private sealed class GemmJob<T> : IParallelBody
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic]
        private static GemmJob<T>? _job;

        [ThreadStatic]
        private static T[]? _threadPackedA;

        private T[] _a = [];
        private T[] _b = [];
        private T[] _c = [];
        private T[] _packedB = [];
        private int _aOffset, _bOffset, _cOffset;
        private bool _transposeA, _transposeB, _accumulate, _wide;
        private int _nr, _m, _n, _k, _kBlock, _mPanels, _nPanels, _mGroups, _nGroups, _panelsPerMGroup, _panelsPerNGroup;

        public int TaskCount => _mGroups * _nGroups;

        public static GemmJob<T> ForCurrentThread() => _job ??= new GemmJob<T>();

        public void Prepare(T[] a, int aOffset, bool transposeA, T[] b, int bOffset, bool transposeB, T[] c, int cOffset, int m, int n, int k, bool accumulate, int threads)
        {
            _wide = Vector512.IsHardwareAccelerated && !NarrowVectorsOnly;
            var nr = _nr = 2 * (_wide ? Vector512<T>.Count : Vector256<T>.Count);
            (_a, _b, _c) = (a, b, c);
            (_aOffset, _bOffset, _cOffset) = (aOffset, bOffset, cOffset);
            (_transposeA, _transposeB, _accumulate) = (transposeA, transposeB, accumulate);
            (_m, _n, _k) = (m, n, k);

            // Equal blocks of at most KBlock (288 → 144 + 144, not 256 + 32): a short last block
            // would load and store the C tile for little work.
            var blocks = (k + KBlock - 1) / KBlock;
            _kBlock = (k + blocks - 1) / blocks;
            _mPanels = (m + MR - 1) / MR;
            _nPanels = (n + nr - 1) / nr;
            PackB();

            // Tasks of at least MinTaskWork multiply-adds, at most ~8 per thread for balance.
            var flops = (long)m * n * k;
            var wanted = (int)Math.Clamp(flops / MinTaskWork, 1, threads * 8);
            _mGroups = Math.Min(_mPanels, wanted);
            _nGroups = Math.Min(_nPanels, Math.Max(1, wanted / _mGroups));
            _panelsPerMGroup = (_mPanels + _mGroups - 1) / _mGroups;
            _mGroups = (_mPanels + _panelsPerMGroup - 1) / _panelsPerMGroup;
            _panelsPerNGroup = (_nPanels + _nGroups - 1) / _nGroups;
            _nGroups = (_nPanels + _panelsPerNGroup - 1) / _panelsPerNGroup;
        }

        /// <summary>The next product of the same shape: new operands' offsets (op(B) packed again if it needs packing).</summary>
        public void MoveTo(int aOffset, int bOffset, int cOffset)
        {
            (_aOffset, _bOffset, _cOffset) = (aOffset, bOffset, cOffset);
            PackB();
        }

        public void Release() => (_a, _b, _c) = ([], [], []);

        public void Invoke(int index)
        {
            if (_wide)
            {
                InvokeTiles<Width512<T>, Vector512<T>>(index);
            }
            else
            {
                InvokeTiles<Width256<T>, Vector256<T>>(index);
            }
        }

        /// <summary>The tiles of task <paramref name="index"/>, in micro-tiles of MR rows by two vectors.</summary>
        /// <remarks>The edge tile is always written before it is read: no need to clear it first.</remarks>
        [SkipLocalsInit]
        private unsafe void InvokeTiles<TWidth, TVector>(int index)
            where TWidth : IVectorWidth<T, TVector>
            where TVector : struct
        {
            var nr = 2 * TWidth.Count;
            var mGroup = index / _nGroups;
            var nGroup = index % _nGroups;
            var mp0 = mGroup * _panelsPerMGroup;
            var mp1 = Math.Min(_mPanels, mp0 + _panelsPerMGroup);
            var np0 = nGroup * _panelsPerNGroup;
            var np1 = Math.Min(_nPanels, np0 + _panelsPerNGroup);
            var packedA = _threadPackedA ??= new T[MR * KBlock];
            Span<T> tile = stackalloc T[MR * 2 * TWidth.Count];

            fixed (T* pa = _a, pb = _b, pc = _c, packedAPtr = packedA, packedBPtr = _packedB, tilePtr = tile)
            {
                var a = pa + _aOffset;
                var c = pc + _cOffset;
                // K blocks outermost: one block of op(B)'s panels is reused by every row panel of the
                // task while it is in cache, rather than all of op(B) streaming through once per panel.
                for (var k0 = 0; k0 < _k; k0 += _kBlock)
                {
                    var kc = Math.Min(_kBlock, _k - k0);
                    var overwrite = k0 == 0 && !_accumulate;
                    for (var mp = mp0; mp < mp1; mp++)
                    {
                        var row0 = mp * MR;
                        var rows = Math.Min(MR, _m - row0);

                        // Whole panels of op(A) are read in place (row-major A: rows K apart; Aᵀ: the
                        // MR values of one k are adjacent); only a partial last panel is packed.
                        T* aPanel;
                        nint aRowStride, aStepStride;
                        if (rows < MR)
                        {
                            PackA(packedAPtr, a, row0, rows, k0, kc);
                            aPanel = packedAPtr;
                            aRowStride = 1;
                            aStepStride = MR;
                        }
                        else if (_transposeA)
                        {
                            aPanel = a + ((nint)k0 * _m) + row0;
                            aRowStride = 1;
                            aStepStride = _m;
                        }
                        else
                        {
                            aPanel = a + ((nint)row0 * _k) + k0;
                            aRowStride = _k;
                            aStepStride = 1;
                        }

                        for (var np = np0; np < np1; np++)
                        {
                            var col0 = np * nr;
                            var cols = Math.Min(nr, _n - col0);
                            if (cols < nr && ReadsPartialPanelInPlace)
                            {
                                PartialPanelInPlace<TWidth, TVector>(kc, aPanel, aRowStride, aStepStride, pb + _bOffset + ((nint)k0 * _n) + col0, _n, pb + _b.Length, rows, cols, tilePtr, c + ((nint)row0 * _n) + col0, _n, overwrite);
                                continue;
                            }

                            var inPlace = !_transposeB && cols == nr;
                            var bPanel = inPlace
                                ? pb + _bOffset + ((nint)k0 * _n) + col0
                                : packedBPtr + (PackedPanelIndex(np) * (nint)_k * nr) + ((nint)k0 * nr);
                            nint bStride = inPlace ? _n : nr;
                            if (rows == MR && cols == nr)
                            {
                                MicroKernel<TWidth, TVector>(kc, aPanel, aRowStride, aStepStride, bPanel, bStride, c + ((nint)row0 * _n) + col0, _n, overwrite);
                            }
                            else
                            {
                                MicroKernel<TWidth, TVector>(kc, aPanel, aRowStride, aStepStride, bPanel, bStride, tilePtr, nr, overwrite: true);
                                for (var r = 0; r < rows; r++)
                                {
                                    var dst = c + ((nint)(row0 + r) * _n) + col0;
                                    var src = tilePtr + (r * nr);
                                    for (var j = 0; j < cols; j++)
                                    {
                                        dst[j] = overwrite ? src[j] : dst[j] + src[j];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }

        /// <summary>
        /// Gets a value indicating whether a partial last panel of B is read in place rather than
        /// packed: with fewer rows than a micro-tile (a single prediction), packing it cost more
        /// than the product (a Dense 1600 → 10 layer packed 200 KB for 16,000 multiply-adds).
        /// </summary>
        private bool ReadsPartialPanelInPlace => _m < MR && !_transposeB;

        /// <summary>Where panel <paramref name="np"/> sits in the packed buffer: every panel when op(B) is Bᵀ, else only the partial last one.</summary>
        private int PackedPanelIndex(int np) => _transposeB ? np : 0;

        /// <summary>
        /// Packs what cannot be read in place: all of op(B) when B is stored transposed (its columns
        /// are strided), otherwise only a partial last panel, zero-padded to NR columns.
        /// </summary>
        private void PackB()
        {
            var nr = _nr;
            var first = _transposeB ? 0 : _n / nr;
            var panels = ReadsPartialPanelInPlace ? 0 : _nPanels - first;
            var size = panels * _k * nr;
            if (size == 0)
            {
                return;
            }

            if (_packedB.Length < size)
            {
                _packedB = new T[size];
            }

            var b = _b.AsSpan(_bOffset);
            var packed = _packedB.AsSpan(0, size);
            for (var np = first; np < _nPanels; np++)
            {
                var col0 = np * nr;
                var cols = Math.Min(nr, _n - col0);
                var panel = packed.Slice((np - first) * _k * nr, _k * nr);
                if (cols < nr)
                {
                    panel.Clear();
                }

                for (var p = 0; p < _k; p++)
                {
                    var dst = panel.Slice(p * nr, cols);
                    if (!_transposeB)
                    {
                        b.Slice((p * _n) + col0, cols).CopyTo(dst);
                    }
                    else
                    {
                        for (var j = 0; j < cols; j++)
                        {
                            dst[j] = b[((col0 + j) * _k) + p];
                        }
                    }
                }
            }
        }

        /// <summary>Copies a partial panel of op(A) (fewer than MR rows) into MR-wide steps, zero-padded.</summary>
        private unsafe void PackA(T* packed, T* a, int row0, int rows, int k0, int kc)
        {
            new Span<T>(packed, MR * kc).Clear();
            nint rowStride = _transposeA ? 1 : _k;
            nint stepStride = _transposeA ? _m : 1;
            var source = _transposeA ? a + ((nint)k0 * _m) + row0 : a + ((nint)row0 * _k) + k0;
            for (var r = 0; r < rows; r++)
            {
                var from = source + (r * rowStride);
                var to = packed + r;
                for (var p = 0; p < kc; p++)
                {
                    to[p * MR] = from[p * stepStride];
                }
            }
        }
        /// <summary>
        /// C[8×2w] (+)= A-panel · B-panel over <paramref name="kc"/> steps, in sixteen vector
        /// accumulators. A's element (r, p) is at <c>a + r·rowStride + p·stepStride</c>; B's row p
        /// at <c>b + p·bStride</c>.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static unsafe void MicroKernel<TWidth, TVector>(int kc, T* a, nint rowStride, nint stepStride, T* b, nint bStride, T* c, int ldc, bool overwrite)
            where TWidth : IVectorWidth<T, TVector>
            where TVector : struct
        {
            var w = TWidth.Count;
            nint r1 = rowStride, r2 = 2 * rowStride, r3 = 3 * rowStride, r4 = 4 * rowStride, r5 = 5 * rowStride, r6 = 6 * rowStride, r7 = 7 * rowStride;
            TVector c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
            TVector c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
            TVector c60 = default, c61 = default, c70 = default, c71 = default;
            for (var p = 0; p < kc; p++)
            {
                var b0 = TWidth.Load(b);
                var b1 = TWidth.Load(b + w);
                var x = TWidth.Broadcast(a[0]);
                c00 = TWidth.MultiplyAdd(x, b0, c00);
                c01 = TWidth.MultiplyAdd(x, b1, c01);
                x = TWidth.Broadcast(a[r1]);
                c10 = TWidth.MultiplyAdd(x, b0, c10);
                c11 = TWidth.MultiplyAdd(x, b1, c11);
                x = TWidth.Broadcast(a[r2]);
                c20 = TWidth.MultiplyAdd(x, b0, c20);
                c21 = TWidth.MultiplyAdd(x, b1, c21);
                x = TWidth.Broadcast(a[r3]);
                c30 = TWidth.MultiplyAdd(x, b0, c30);
                c31 = TWidth.MultiplyAdd(x, b1, c31);
                x = TWidth.Broadcast(a[r4]);
                c40 = TWidth.MultiplyAdd(x, b0, c40);
                c41 = TWidth.MultiplyAdd(x, b1, c41);
                x = TWidth.Broadcast(a[r5]);
                c50 = TWidth.MultiplyAdd(x, b0, c50);
                c51 = TWidth.MultiplyAdd(x, b1, c51);
                x = TWidth.Broadcast(a[r6]);
                c60 = TWidth.MultiplyAdd(x, b0, c60);
                c61 = TWidth.MultiplyAdd(x, b1, c61);
                x = TWidth.Broadcast(a[r7]);
                c70 = TWidth.MultiplyAdd(x, b0, c70);
                c71 = TWidth.MultiplyAdd(x, b1, c71);
                a += stepStride;
                b += bStride;
            }

            Store<TWidth, TVector>(c, overwrite, c00, c01);
            Store<TWidth, TVector>(c + ldc, overwrite, c10, c11);
            Store<TWidth, TVector>(c + (2 * ldc), overwrite, c20, c21);
            Store<TWidth, TVector>(c + (3 * ldc), overwrite, c30, c31);
            Store<TWidth, TVector>(c + (4 * ldc), overwrite, c40, c41);
            Store<TWidth, TVector>(c + (5 * ldc), overwrite, c50, c51);
            Store<TWidth, TVector>(c + (6 * ldc), overwrite, c60, c61);
            Store<TWidth, TVector>(c + (7 * ldc), overwrite, c70, c71);
        }

        /// <summary>
        /// A partial panel (<paramref name="cols"/> &lt; 2w columns) of few rows, B read in place:
        /// each step's columns go through a zero-padded staging row, and every element of C gets
        /// the same multiply-adds in the same order as from the packed panel, so results do not
        /// depend on which path ran.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static unsafe void PartialPanelInPlace<TWidth, TVector>(int kc, T* a, nint rowStride, nint stepStride, T* b, nint ldb, T* bEnd, int rows, int cols, T* tile, T* c, int ldc, bool overwrite)
            where TWidth : IVectorWidth<T, TVector>
            where TVector : struct
        {
            var w = TWidth.Count;
            var lastWholeLoad = bEnd - (2 * w);
            var staging = stackalloc T[2 * w];
            new Span<T>(staging, 2 * w).Clear();
            for (var r = 0; r < rows; r++)
            {
                TVector c0 = default, c1 = default;
                var aRow = a + (r * rowStride);
                var bRow = b;
                for (var p = 0; p < kc; p++)
                {
                    // Whole vectors straight from B while they stay inside its array (lanes past
                    // the panel's columns carry other values, and are never stored).
                    var from = bRow;
                    if (bRow > lastWholeLoad)
                    {
                        new ReadOnlySpan<T>(bRow, cols).CopyTo(new Span<T>(staging, cols));
                        from = staging;
                    }

                    var x = TWidth.Broadcast(aRow[p * stepStride]);
                    c0 = TWidth.MultiplyAdd(x, TWidth.Load(from), c0);
                    c1 = TWidth.MultiplyAdd(x, TWidth.Load(from + w), c1);
                    bRow += ldb;
                }

                TWidth.Store(c0, tile);
                TWidth.Store(c1, tile + w);
                var dst = c + (r * ldc);
                for (var j = 0; j < cols; j++)
                {
                    dst[j] = overwrite ? tile[j] : dst[j] + tile[j];
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static unsafe void Store<TWidth, TVector>(T* c, bool overwrite, TVector v0, TVector v1)
            where TWidth : IVectorWidth<T, TVector>
            where TVector : struct
        {
            var w = TWidth.Count;
            if (!overwrite)
            {
                v0 = TWidth.Add(v0, TWidth.Load(c));
                v1 = TWidth.Add(v1, TWidth.Load(c + w));
            }

            TWidth.Store(v0, c);
            TWidth.Store(v1, c + w);
        }
    }
}
