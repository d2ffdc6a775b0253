using MnistMl.Data;

namespace MnistMl.Tests.Transforms;

public class ShuffleRowsTests
{
    private static readonly IDataView Ids = new MnistContext().Data.LoadFromEnumerable(Enumerable.Range(0, 200).Select(i => new IdRow { Id = i }).ToArray());

    [Fact]
    public void Same_seed_gives_the_same_order()
    {
        var first = new MnistContext().Data.ShuffleRows(Ids, seed: 7);
        var second = new MnistContext().Data.ShuffleRows(Ids, seed: 7);

        Assert.Equal(SyntheticMnist.ReadColumn<int>(first, "Id"), SyntheticMnist.ReadColumn<int>(second, "Id"));
    }

    [Fact]
    public void Shuffled_rows_are_a_reordering_of_all_the_rows()
    {
        var ids = SyntheticMnist.ReadColumn<int>(new MnistContext().Data.ShuffleRows(Ids, seed: 7), "Id");

        Assert.NotEqual(Enumerable.Range(0, 200), ids);
        Assert.Equal(Enumerable.Range(0, 200), ids.Order());
    }

    [Fact]
    public void Different_seeds_give_different_orders()
    {
        var ml = new MnistContext();

        Assert.NotEqual(
            SyntheticMnist.ReadColumn<int>(ml.Data.ShuffleRows(Ids, seed: 1), "Id"),
            SyntheticMnist.ReadColumn<int>(ml.Data.ShuffleRows(Ids, seed: 2), "Id"));
    }

    [Fact]
    public void Context_seed_fixes_shuffles_given_no_seed()
    {
        int[] ShuffleTwice(MnistContext ml) =>
            [.. SyntheticMnist.ReadColumn<int>(ml.Data.ShuffleRows(Ids), "Id"), .. SyntheticMnist.ReadColumn<int>(ml.Data.ShuffleRows(Ids), "Id")];

        Assert.Equal(ShuffleTwice(new MnistContext(seed: 5)), ShuffleTwice(new MnistContext(seed: 5)));
    }

    private sealed class IdRow
    {
        public int Id { get; set; }
    }
}
