using MnistMl.Nn;

namespace MnistMl.Tests.Nn;

public class LossGradientTests
{
    private const int Batch = 4;
    private const int Width = 5;

    public static TheoryData<string> LossNames => new()
    {
        "categorical", "categorical_logits", "sparse", "sparse_logits", "mse", "mae",
    };

    [Theory]
    [MemberData(nameof(LossNames))]
    public void Loss_gradient_matches_finite_differences(string name)
    {
        var (loss, targets) = Create(name);
        var random = new RandomSource(3);
        var outputs = name.EndsWith("logits", StringComparison.Ordinal) || name is "mse" or "mae"
            ? GradientChecker.RandomArray(random, Batch * Width, 3)
            : Probabilities(random);
        var gradient = new double[outputs.Length];
        loss.Compute<double>(outputs, targets, Batch, Width, gradient, fusedSoftmax: false);
        for (var i = 0; i < outputs.Length; i++)
        {
            var plus = (double[])outputs.Clone();
            var minus = (double[])outputs.Clone();
            plus[i] += 1e-6;
            minus[i] -= 1e-6;
            var numeric = (loss.Compute<double>(plus, targets, Batch, Width, [], false) - loss.Compute<double>(minus, targets, Batch, Width, [], false)) / Batch / 2e-6;
            GradientChecker.AssertClose(numeric, gradient[i], 1e-6, $"{loss.Name} [{i}]");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Fused_softmax_crossentropy_gradient_matches_finite_differences_through_the_softmax(bool sparse)
    {
        var (loss, targets) = Create(sparse ? "sparse" : "categorical");
        var logits = GradientChecker.RandomArray(new RandomSource(5), Batch * Width, 3);
        double LossOf(double[] z)
        {
            var p = (double[])z.Clone();
            MnistMl.Nn.Kernels.ActivationFunctions.Forward<double>(Activation.Softmax, p, Width, new double[p.Length]);
            return loss.Compute<double>(p, targets, Batch, Width, [], false) / Batch;
        }

        var probabilities = (double[])logits.Clone();
        MnistMl.Nn.Kernels.ActivationFunctions.Forward<double>(Activation.Softmax, probabilities, Width, new double[logits.Length]);
        var gradient = new double[logits.Length];
        loss.Compute<double>(probabilities, targets, Batch, Width, gradient, fusedSoftmax: true);
        for (var i = 0; i < logits.Length; i++)
        {
            var plus = (double[])logits.Clone();
            var minus = (double[])logits.Clone();
            plus[i] += 1e-6;
            minus[i] -= 1e-6;
            GradientChecker.AssertClose((LossOf(plus) - LossOf(minus)) / 2e-6, gradient[i], 1e-6, $"fused [{i}]");
        }
    }

    [Fact]
    public void Categorical_crossentropy_of_a_known_case_matches_hand_computation()
    {
        double[] p = [0.7, 0.2, 0.1, 0.1, 0.8, 0.1];
        double[] y = [1, 0, 0, 0, 0, 1];
        var sum = Losses.CategoricalCrossentropy.Compute<double>(p, y, 2, 3, [], false);
        Assert.Equal(-Math.Log(0.7) - Math.Log(0.1), sum, 12);
    }

    [Fact]
    public void Crossentropy_from_logits_is_stable_for_huge_logits()
    {
        double[] z = [1000, 0, -1000];
        double[] y = [0, 1, 0];
        var sum = new CategoricalCrossentropy(fromLogits: true).Compute<double>(z, y, 1, 3, new double[3], false);
        Assert.Equal(1000, sum, 9);
    }

    [Fact]
    public void Sparse_crossentropy_rejects_a_label_outside_the_classes()
    {
        var error = Assert.Throws<ArgumentException>(() => Losses.SparseCategoricalCrossentropy.Compute<double>([0.5, 0.5], [2], 1, 2, [], false));
        Assert.Contains("not a class index", error.Message, StringComparison.Ordinal);
    }

    private static (Loss Loss, double[] Targets) Create(string name)
    {
        var random = new RandomSource(11);
        var labels = Enumerable.Range(0, Batch).Select(_ => (double)random.NextInt(Width)).ToArray();
        var oneHot = new double[Batch * Width];
        for (var b = 0; b < Batch; b++)
        {
            oneHot[(b * Width) + (int)labels[b]] = 1;
        }

        return name switch
        {
            "categorical" => (new CategoricalCrossentropy(), oneHot),
            "categorical_logits" => (new CategoricalCrossentropy(fromLogits: true), oneHot),
            "sparse" => (new SparseCategoricalCrossentropy(), labels),
            "sparse_logits" => (new SparseCategoricalCrossentropy(fromLogits: true), labels),
            "mse" => (Losses.MeanSquaredError, GradientChecker.RandomArray(random, Batch * Width)),
            "mae" => (Losses.MeanAbsoluteError, GradientChecker.RandomArray(random, Batch * Width)),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
    }

    private static double[] Probabilities(RandomSource random)
    {
        var p = GradientChecker.RandomArray(random, Batch * Width);
        MnistMl.Nn.Kernels.ActivationFunctions.Forward<double>(Activation.Softmax, p, Width, new double[p.Length]);
        return p;
    }
}
