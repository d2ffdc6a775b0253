using MnistMl.Nn;

namespace MnistMl.Tests.Nn;

public class OptimizerTests
{
    [Fact]
    public void Adam_takes_the_hand_computed_first_two_steps()
    {
        var (w, step) = SingleWeight(new Adam(learningRate: 0.1), 1.0);
        step(0.5);
        // t=1: m=0.05, v=0.00025, alpha=0.1·√0.001/0.1 ⇒ w = 1 − 0.1·√0.001/0.1 · 0.05/(√0.00025+1e−7)
        var expected = 1 - (0.1 * Math.Sqrt(1 - 0.999) / (1 - 0.9) * 0.05 / (Math.Sqrt(0.00025) + 1e-7));
        Assert.Equal(expected, w[0], 12);
        step(-0.25);
        double m = (0.9 * 0.05) + (0.1 * -0.25), v = (0.999 * 0.00025) + (0.001 * 0.0625);
        expected -= 0.1 * Math.Sqrt(1 - (0.999 * 0.999)) / (1 - (0.9 * 0.9)) * m / (Math.Sqrt(v) + 1e-7);
        Assert.Equal(expected, w[0], 12);
    }

    [Fact]
    public void RMSprop_takes_the_hand_computed_step()
    {
        var (w, step) = SingleWeight(new RMSprop(), 1.0);
        step(2);
        Assert.Equal(1 - (0.001 * 2 / (Math.Sqrt(0.1 * 4) + 1e-7)), w[0], 12);
    }

    [Fact]
    public void SGD_with_momentum_and_nesterov_take_the_hand_computed_steps()
    {
        var (plain, plainStep) = SingleWeight(new SGD(learningRate: 0.1, momentum: 0.9), 1.0);
        plainStep(1);
        plainStep(1);
        Assert.Equal(1 - 0.1 - (0.09 + 0.1), plain[0], 12);

        var (nesterov, nesterovStep) = SingleWeight(new SGD(learningRate: 0.1, momentum: 0.9, nesterov: true), 1.0);
        nesterovStep(1);
        Assert.Equal(1 + (0.9 * -0.1) - 0.1, nesterov[0], 12);
    }

    [Fact]
    public void Weight_decay_shrinks_the_weight_before_the_update()
    {
        var (w, step) = SingleWeight(new SGD(learningRate: 0.1, weightDecay: 0.5), 2.0);
        step(0);
        Assert.Equal(2 * (1 - 0.05), w[0], 12);
    }

    [Fact]
    public void Learning_rate_schedules_follow_their_formulas()
    {
        Assert.Equal(0.1 * 0.5 * 0.5, LearningRateSchedule.Step(0.1, 10, 0.5).GetLearningRate(25), 15);
        Assert.Equal(0.1 * Math.Pow(0.5, 2.5), LearningRateSchedule.Exponential(0.1, 10, 0.5).GetLearningRate(25), 15);
        var cosine = LearningRateSchedule.Cosine(0.1, 100, alpha: 0.1);
        Assert.Equal(0.1, cosine.GetLearningRate(0), 15);
        Assert.Equal(0.1 * ((0.9 * 0.5) + 0.1), cosine.GetLearningRate(50), 15);
        Assert.Equal(0.01, cosine.GetLearningRate(500), 15);
    }

    [Fact]
    public void One_cycle_warms_up_then_anneals_as_pytorchs_OneCycleLR()
    {
        // PyTorch, OneCycleLR(max_lr=0.1, total_steps=100, pct_start=0.25): the peak at step 24, the end at step 99.
        var schedule = LearningRateSchedule.OneCycle(0.1, 100);

        Assert.Equal(0.1 / 25, schedule.GetLearningRate(0), 15);
        Assert.Equal((0.1 + (0.1 / 25)) / 2, schedule.GetLearningRate(12), 15);
        Assert.Equal(0.1, schedule.GetLearningRate(24), 15);
        Assert.Equal(0.1 / 25 / 1e4, schedule.GetLearningRate(99), 15);
        Assert.Equal(0.1 / 25 / 1e4, schedule.GetLearningRate(500), 15);
        var rates = Enumerable.Range(0, 100).Select(step => schedule.GetLearningRate(step)).ToArray();
        Assert.True(rates[..25].Zip(rates[1..25]).All(p => p.First < p.Second), "rising while warming up");
        Assert.True(rates[24..].Zip(rates[25..]).All(p => p.First > p.Second), "falling after the peak");
    }

    [Fact]
    public void Optimizer_with_a_schedule_uses_the_rate_of_its_step()
    {
        var (w, step) = SingleWeight(new SGD(schedule: LearningRateSchedule.Step(1, 1, 0.5)), 0);
        step(1);
        step(1);
        Assert.Equal(-1.5, w[0], 15);
    }

    private static (double[] Weight, Action<double> Step) SingleWeight(Optimizer optimizer, double initial)
    {
        var p = new ParameterBuffer<double>("w", [1]);
        p.Value[0] = initial;
        return (p.Value, g =>
        {
            p.Gradient[0] = g;
            optimizer.Step<double>([p]);
        }
        );
    }
}
