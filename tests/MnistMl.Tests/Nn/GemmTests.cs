using MnistMl.Nn;
using MnistMl.Nn.Kernels;

namespace MnistMl.Tests.Nn;

public class GemmTests
{
    private static readonly (int M, int N, int K)[] Sizes =
    [
        (1, 1, 1), (3, 17, 5), (17, 3, 127), (127, 17, 3), (6, 16, 256), (13, 33, 257), (6, 32, 64), (8, 32, 64), (12, 64, 300), (17, 64, 129), (128, 10, 600),
        (3, 17, 4099), (9, 32, 20000), // long K, few outputs: many K blocks, few tasks
    ];

    /// <summary>Every size with each vector width: 512-bit where the machine runs it, and 256-bit always.</summary>
    public static TheoryData<int, int, int, bool> AwkwardSizes
    {
        get
        {
            var data = new TheoryData<int, int, int, bool>();
            foreach (var (m, n, k) in Sizes)
            {
                data.Add(m, n, k, false);
                data.Add(m, n, k, true);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(AwkwardSizes))]
    public void Float_product_matches_the_reference_for_every_transpose(int m, int n, int k, bool narrow)
    {
        foreach (var (ta, tb, acc) in Combinations())
        {
            var random = new RandomSource(m * 1000 + n * 10 + k);
            var a = RandomFloats(random, m * k);
            var b = RandomFloats(random, k * n);
            var c = RandomFloats(random, m * n);
            // The reference runs in float64, so the bound is float32's own rounding over k terms.
            var expected = c.Select(v => (double)v).ToArray();
            MultiplyWithWidth(narrow, a, ta, b, tb, c, m, n, k, acc);
            Gemm.MultiplyReference([.. a.Select(v => (double)v)], ta, [.. b.Select(v => (double)v)], tb, expected, m, n, k, acc);
            var tolerance = 1e-6 * Math.Sqrt(k) * 4;
            for (var i = 0; i < c.Length; i++)
            {
                Assert.True(Math.Abs(c[i] - expected[i]) <= tolerance * (1 + Math.Abs(expected[i])), $"ta={ta} tb={tb} acc={acc} [{i}]: {c[i]} vs {expected[i]}");
            }
        }
    }

    [Theory]
    [InlineData(1, 10, 1600)] // a single prediction's last Dense: one partial vector, its last row lane by lane
    [InlineData(1, 10, 4608)] // cnn64's last Dense: 18 blocks, four chains at a time
    [InlineData(1, 33, 700)] // whole vectors and a tail too short for a partial vector
    [InlineData(1, 512, 784)] // the mlp's first Dense: groups of eight vectors
    [InlineData(1, 300, 600)] // a group of eight, single vectors, a partial one
    [InlineData(1, 64, 50)] // one short block
    [InlineData(1, 3, 20)] // lanes one by one
    [InlineData(3, 40, 300)] // a whole panel and a partial one, two K blocks
    [InlineData(7, 17, 5)]
    public void Few_rows_give_the_same_bits_as_those_rows_of_a_larger_product(int rows, int n, int k)
    {
        // A single prediction must get exactly what the same image gets inside a batch.
        const int M = 19;
        foreach (var narrow in new[] { false, true })
        {
            var random = new RandomSource(rows + n + k);
            var a = RandomFloats(random, M * k);
            var b = RandomFloats(random, k * n);
            var whole = new float[M * n];
            var few = new float[rows * n];
            MultiplyWithWidth(narrow, a, false, b, false, whole, M, n, k, false);
            MultiplyWithWidth(narrow, a, false, b, false, few, rows, n, k, false);
            Assert.Equal(whole.AsSpan(0, rows * n).ToArray(), few);
        }
    }

    [Theory]
    [InlineData(10, 1600)]
    [InlineData(33, 700)]
    [InlineData(512, 784)]
    public void A_single_row_accumulates_with_the_same_bits_as_inside_a_larger_product(int n, int k)
    {
        const int M = 9;
        foreach (var narrow in new[] { false, true })
        {
            var random = new RandomSource(n + k);
            var a = RandomFloats(random, M * k);
            var b = RandomFloats(random, k * n);
            var whole = RandomFloats(random, M * n);
            var one = whole[..n];
            MultiplyWithWidth(narrow, a, false, b, false, whole, M, n, k, true);
            MultiplyWithWidth(narrow, a, false, b, false, one, 1, n, k, true);
            Assert.Equal(whole[..n], one);
        }
    }

    [Theory]
    [InlineData(8, 32, 64)] // cnn64's Winograd products: whole panels, B read in place
    [InlineData(13, 17, 5)] // partial panels: A's last panel and B's packed again for every product
    [InlineData(3, 40, 300)] // two K blocks
    public void Many_products_equal_one_call_each_bit_for_bit(int m, int n, int k)
    {
        const int Count = 5;
        foreach (var (ta, tb, acc) in Combinations())
        {
            var random = new RandomSource(m + (7 * n) + k);
            // Strides a little longer than each operand, with some values before the first.
            var (aStride, bStride, cStride) = ((m * k) + 3, (k * n) + 5, (m * n) + 7);
            var a = RandomFloats(random, 2 + (Count * aStride));
            var b = RandomFloats(random, 1 + (Count * bStride));
            var expected = RandomFloats(random, 4 + (Count * cStride));
            var actual = (float[])expected.Clone();
            for (var i = 0; i < Count; i++)
            {
                Gemm.MultiplyOnCurrentThread(a, 2 + (i * aStride), ta, b, 1 + (i * bStride), tb, expected, 4 + (i * cStride), m, n, k, acc);
            }

            Gemm.MultiplyManyOnCurrentThread(Count, a, 2, aStride, ta, b, 1, bStride, tb, actual, 4, cStride, m, n, k, acc);
            Assert.Equal(expected, actual);
        }
    }

    [Theory]
    [MemberData(nameof(AwkwardSizes))]
    public void Double_product_matches_the_reference_for_every_transpose(int m, int n, int k, bool narrow)
    {
        foreach (var (ta, tb, acc) in Combinations())
        {
            var random = new RandomSource(m + n + k);
            var a = GradientChecker.RandomArray(random, m * k);
            var b = GradientChecker.RandomArray(random, k * n);
            var c = GradientChecker.RandomArray(random, m * n);
            var expected = (double[])c.Clone();
            MultiplyWithWidth(narrow, a, ta, b, tb, c, m, n, k, acc);
            Gemm.MultiplyReference(a, ta, b, tb, expected, m, n, k, acc);
            for (var i = 0; i < c.Length; i++)
            {
                Assert.True(Math.Abs(c[i] - expected[i]) <= 1e-12 * (1 + Math.Abs(expected[i])), $"ta={ta} tb={tb} acc={acc} [{i}]");
            }
        }
    }

    [Theory]
    [InlineData(300, 70, 700)]
    [InlineData(9, 32, 30000)] // long K, few outputs
    public void Product_is_bit_identical_for_any_thread_count(int m, int n, int k)
    {
        var random = new RandomSource(1);
        var a = RandomFloats(random, m * k);
        var b = RandomFloats(random, k * n);
        float[] Run(int threads)
        {
            var saved = WorkerPool.MaxThreads;
            WorkerPool.MaxThreads = threads;
            try
            {
                var c = new float[m * n];
                Gemm.Multiply(a, true, b, false, c, m, n, k, false);
                return c;
            }
            finally
            {
                WorkerPool.MaxThreads = saved;
            }
        }

        var one = Run(1);
        Assert.Equal(one, Run(2));
        Assert.Equal(one, Run(8));
    }

    [Theory]
    [InlineData(300, 70, 700)]
    [InlineData(13, 50, 257)] // partial tiles in both directions
    public void Both_vector_widths_give_bit_identical_products(int m, int n, int k)
    {
        var random = new RandomSource(2);
        var a = RandomFloats(random, m * k);
        var b = RandomFloats(random, k * n);
        float[] Run(bool narrow, bool ta, bool tb)
        {
            var c = new float[m * n];
            MultiplyWithWidth(narrow, a, ta, b, tb, c, m, n, k, false);
            return c;
        }

        foreach (var (ta, tb, _) in Combinations().Where(x => !x.Item3))
        {
            Assert.Equal(Run(narrow: true, ta, tb), Run(narrow: false, ta, tb));
        }
    }

    private static void MultiplyWithWidth<T>(bool narrow, T[] a, bool ta, T[] b, bool tb, T[] c, int m, int n, int k, bool accumulate)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        Gemm.NarrowVectorsOnly = narrow;
        try
        {
            Gemm.Multiply(a, ta, b, tb, c, m, n, k, accumulate);
        }
        finally
        {
            Gemm.NarrowVectorsOnly = false;
        }
    }

    private static IEnumerable<(bool, bool, bool)> Combinations() =>
        from ta in new[] { false, true } from tb in new[] { false, true } from acc in new[] { false, true } select (ta, tb, acc);

    private static float[] RandomFloats(RandomSource random, int length) =>
        [.. Enumerable.Range(0, length).Select(_ => (2 * random.NextSingle()) - 1)];
}
