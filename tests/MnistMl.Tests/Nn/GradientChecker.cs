using MnistMl.Nn;

namespace MnistMl.Tests.Nn;

/// <summary>
/// Central finite differences in float64 against a layer's backward pass. The scalar checked is
/// <c>L = Σ output ⊙ R</c> for a fixed random R, so every output's gradient path is exercised.
/// Each evaluation builds the op afresh from the same seeds: same weights, same dropout mask.
/// </summary>
internal static class GradientChecker
{
    private const double Step = 1e-6;

    public static void CheckLayer(Layer layer, int[] inputShape, int batch, bool training = true, double tolerance = 1e-6, long seed = 7) =>
        CheckOp(() => layer.CreateOp<double>(inputShape, new RandomSource(seed, 1), seed), layer.TypeName, batch, training, tolerance, seed);

    /// <summary>The same check for an op built by <paramref name="create"/> (same weights every call).</summary>
    public static void CheckOp(Func<LayerOp<double>> create, string what, int batch, bool training = true, double tolerance = 1e-6, long seed = 7)
    {
        LayerOp<double> Create() => create();

        var op = Create();
        var random = new RandomSource(seed + 1);
        var x = RandomArray(random, batch * op.InputSize);
        var r = RandomArray(random, batch * op.OutputSize);

        double Loss(LayerOp<double> o, double[] input)
        {
            var y = o.Forward(input, batch, training);
            var sum = 0.0;
            for (var i = 0; i < batch * o.OutputSize; i++)
            {
                sum += y[i] * r[i];
            }

            return sum;
        }

        Loss(op, x);
        var dx = (double[])op.Backward((double[])r.Clone(), batch).Clone();
        var analyticParameterGradients = op.Parameters.Select(p => (double[])p.Gradient.Clone()).ToArray();

        // A first layer (SkipInputGradient) returns no input gradient: only its weights are checked.
        for (var i = 0; i < (op.SkipInputGradient ? 0 : x.Length); i++)
        {
            var plus = (double[])x.Clone();
            var minus = (double[])x.Clone();
            plus[i] += Step;
            minus[i] -= Step;
            var numeric = (Loss(Create(), plus) - Loss(Create(), minus)) / (2 * Step);
            AssertClose(numeric, dx[i], tolerance, $"{what} input gradient [{i}]");
        }

        for (var p = 0; p < analyticParameterGradients.Length; p++)
        {
            for (var i = 0; i < analyticParameterGradients[p].Length; i++)
            {
                var plusOp = Create();
                plusOp.Parameters[p].Value[i] += Step;
                var minusOp = Create();
                minusOp.Parameters[p].Value[i] -= Step;
                var numeric = (Loss(plusOp, x) - Loss(minusOp, x)) / (2 * Step);
                AssertClose(numeric, analyticParameterGradients[p][i], tolerance, $"{what} {op.Parameters[p].Name} gradient [{i}]");
            }
        }
    }

    public static double[] RandomArray(RandomSource random, int length, double scale = 1)
    {
        var values = new double[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = ((2 * random.NextDouble()) - 1) * scale;
        }

        return values;
    }

    public static void AssertClose(double expected, double actual, double tolerance, string what)
    {
        var error = Math.Abs(expected - actual) / Math.Max(1, Math.Max(Math.Abs(expected), Math.Abs(actual)));
        Assert.True(error <= tolerance, $"{what}: finite difference {expected:R}, backward {actual:R} (relative error {error:E2})");
    }
}
