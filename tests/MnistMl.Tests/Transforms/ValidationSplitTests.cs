using MnistMl.Data;

namespace MnistMl.Tests.Transforms;

public class ValidationSplitTests
{
    private readonly MnistContext _ml = new(seed: 1);

    [Fact]
    public void Validation_is_the_last_fraction_of_the_rows_and_training_the_rest_in_order()
    {
        var (train, validation) = _ml.Data.ValidationSplit(Ids(10), 0.2);

        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7], SyntheticMnist.ReadColumn<int>(train, "Id"));
        Assert.Equal([8, 9], SyntheticMnist.ReadColumn<int>(validation, "Id"));
    }

    [Fact]
    public void Split_of_60000_rows_by_a_tenth_gives_54000_and_6000()
    {
        var view = _ml.Data.LoadMnist(SyntheticMnist.Create(60_000, rows: 1, columns: 1));

        var split = _ml.Data.ValidationSplit(view, 0.1);

        Assert.Equal((54_000L, 6_000L), (split.Train.GetRowCount()!.Value, split.Validation.GetRowCount()!.Value));
    }

    [Fact]
    public void Train_size_is_the_floor_of_rows_times_one_minus_the_fraction()
    {
        var split = _ml.Data.ValidationSplit(Ids(7), 0.25);

        Assert.Equal((5L, 2L), (split.Train.GetRowCount()!.Value, split.Validation.GetRowCount()!.Value));
    }

    [Fact]
    public void ShuffleFirst_splits_a_seeded_shuffle_of_all_rows()
    {
        var first = _ml.Data.ValidationSplit(Ids(50), 0.2, shuffleFirst: true, seed: 4);
        var again = _ml.Data.ValidationSplit(Ids(50), 0.2, shuffleFirst: true, seed: 4);

        var train = SyntheticMnist.ReadColumn<int>(first.Train, "Id");
        var validation = SyntheticMnist.ReadColumn<int>(first.Validation, "Id");
        Assert.Equal(validation, SyntheticMnist.ReadColumn<int>(again.Validation, "Id"));
        Assert.NotEqual(Enumerable.Range(40, 10), validation);
        Assert.Equal(Enumerable.Range(0, 50), train.Concat(validation).Order());
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void Fraction_not_strictly_between_0_and_1_is_rejected(double fraction)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _ml.Data.ValidationSplit(Ids(10), fraction));
    }

    [Fact]
    public void Fraction_leaving_a_part_empty_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => _ml.Data.ValidationSplit(Ids(3), 0.9));
    }

    private IDataView Ids(int count) => _ml.Data.LoadFromEnumerable(Enumerable.Range(0, count).Select(i => new IdRow { Id = i }).ToArray());

    private sealed class IdRow
    {
        public int Id { get; set; }
    }
}
