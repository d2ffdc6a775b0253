using System.Globalization;

namespace MnistMl.Visualization;

/// <summary>
/// A linear axis with round tick values: the data range widened to whole multiples of a step of
/// 1, 2 or 5 × 10ⁿ, so that about five ticks fall on numbers a reader takes in at a glance.
/// </summary>
internal sealed class AxisScale
{
    private AxisScale(double min, double max, double step)
    {
        Min = min;
        Max = max;
        Step = step;
    }

    public double Min { get; }

    public double Max { get; }

    public double Step { get; }

    /// <summary>The tick values, <see cref="Min"/> to <see cref="Max"/> by <see cref="Step"/>.</summary>
    public IReadOnlyList<double> Ticks
    {
        get
        {
            var count = (int)Math.Round((Max - Min) / Step);
            return [.. Enumerable.Range(0, count + 1).Select(i => Min + (i * Step))];
        }
    }

    /// <summary>A scale covering <paramref name="low"/>…<paramref name="high"/> (finite) with about <paramref name="ticks"/> ticks.</summary>
    public static AxisScale Covering(double low, double high, int ticks = 5)
    {
        if (high - low < 1e-12 * Math.Max(1, Math.Abs(high)))
        {
            var half = Math.Max(Math.Abs(low) * 0.05, 0.01);
            (low, high) = (low - half, high + half);
        }

        var step = RoundStep((high - low) / (ticks - 1));
        return new AxisScale(Math.Floor((low / step) + 1e-9) * step, Math.Ceiling((high / step) - 1e-9) * step, step);
    }

    /// <summary>A scale of whole numbers (epochs) from <paramref name="low"/> to <paramref name="high"/>, at least one apart.</summary>
    public static AxisScale Counting(int low, int high, int ticks = 8)
    {
        var step = RoundStep(Math.Max(1, (double)(high - low) / (ticks - 1)));
        return new AxisScale(low, low + (Math.Max(1, Math.Ceiling((high - low) / step)) * step), step);
    }

    /// <summary>Where <paramref name="value"/> falls between <paramref name="from"/> (at <see cref="Min"/>) and <paramref name="to"/> (at <see cref="Max"/>).</summary>
    public double Map(double value, double from, double to) => from + ((value - Min) / (Max - Min) * (to - from));

    /// <summary>A tick value with as many decimals as the step needs.</summary>
    public string Format(double value)
    {
        var decimals = Math.Max(0, -(int)Math.Floor(Math.Log10(Step) + 1e-9));
        return Math.Round(value, decimals).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    private static double RoundStep(double rough)
    {
        var power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var fraction = rough / power;
        return power * (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10);
    }
}
