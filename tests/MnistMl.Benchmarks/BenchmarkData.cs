namespace MnistMl.Benchmarks;

/// <summary>Inputs for the kernel benchmarks: the same values in every run.</summary>
internal static class BenchmarkData
{
    /// <summary><paramref name="length"/> values uniform in [−0.5, 0.5), from a fixed seed.</summary>
    public static float[] RandomFloats(int length)
    {
        var random = new Random(1);
        var values = new float[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = random.NextSingle() - 0.5f;
        }

        return values;
    }
}
