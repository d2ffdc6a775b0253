namespace MnistMl.Benchmarks;

/// <summary>The figures the side-by-side benchmarks report.</summary>
internal static class Statistics
{
    /// <summary>The median; the mean of the middle two for an even count.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
