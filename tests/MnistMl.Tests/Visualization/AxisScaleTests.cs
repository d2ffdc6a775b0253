using MnistMl.Visualization;

namespace MnistMl.Tests.Visualization;

public class AxisScaleTests
{
    [Fact]
    public void Covering_widens_the_range_to_round_ticks()
    {
        var scale = AxisScale.Covering(0.0213, 0.287);

        Assert.Equal(["0.0", "0.1", "0.2", "0.3"], scale.Ticks.Select(scale.Format));
    }

    [Fact]
    public void Covering_a_single_value_still_has_a_range_around_it()
    {
        var scale = AxisScale.Covering(0.5, 0.5);

        Assert.True(scale.Min < 0.5 && scale.Max > 0.5, $"{scale.Min}…{scale.Max}");
    }

    [Fact]
    public void Counting_epochs_uses_whole_steps_from_the_first_epoch()
    {
        var fifteen = AxisScale.Counting(1, 15);
        var one = AxisScale.Counting(1, 1);

        Assert.Equal(["1", "3", "5", "7", "9", "11", "13", "15"], fifteen.Ticks.Select(fifteen.Format));
        Assert.Equal(["1", "2"], one.Ticks.Select(one.Format));
    }

    [Fact]
    public void Map_places_the_ends_of_the_scale_at_the_ends_of_the_span()
    {
        var scale = AxisScale.Covering(0, 10);

        Assert.Equal(300, scale.Map(scale.Min, 300, 50));
        Assert.Equal(50, scale.Map(scale.Max, 300, 50));
        Assert.Equal(175, scale.Map((scale.Min + scale.Max) / 2, 300, 50));
    }
}
