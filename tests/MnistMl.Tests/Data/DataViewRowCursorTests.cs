using MnistMl.Data;

namespace MnistMl.Tests.Data;

public class DataViewRowCursorTests
{
    private readonly IDataView _view = new MnistContext().Data.LoadMnist(SyntheticMnist.Create(5));

    [Fact]
    public void Getter_of_the_wrong_type_names_the_column_its_type_and_the_type_asked_for()
    {
        var cursor = _view.GetRowCursor(_view.Schema);

        var error = Assert.Throws<SchemaMismatchException>(() => cursor.GetGetter<ReadOnlyMemory<float>>(_view.Schema["Image"]));

        Assert.Equal("Image", error.ColumnName);
        Assert.Equal(
            "Column 'Image' has type Vector<Byte, 3, 2> and is read with a ValueGetter<ReadOnlyMemory<Byte>>, but a ValueGetter<ReadOnlyMemory<Single>> was asked for.",
            error.Message);
    }

    [Fact]
    public void Getter_of_a_column_not_needed_when_opening_throws()
    {
        var cursor = _view.GetRowCursor([_view.Schema["Label"]]);

        Assert.False(cursor.IsColumnActive(_view.Schema["Image"]));
        var error = Assert.Throws<InvalidOperationException>(() => cursor.GetGetter<ReadOnlyMemory<byte>>(_view.Schema["Image"]));
        Assert.Contains("'Image'", error.Message);
    }

    [Fact]
    public void Reading_before_MoveNext_throws()
    {
        var cursor = _view.GetRowCursor(_view.Schema);
        var getter = cursor.GetGetter<byte>(_view.Schema["Label"]);
        byte label = 0;

        Assert.Throws<InvalidOperationException>(() => getter(ref label));
    }

    [Fact]
    public void Position_counts_rows_from_zero_and_is_minus_one_before_and_after()
    {
        var cursor = _view.GetRowCursor([]);
        var positions = new List<long> { cursor.Position };
        while (cursor.MoveNext())
        {
            positions.Add(cursor.Position);
        }

        positions.Add(cursor.Position);

        Assert.Equal([-1, 0, 1, 2, 3, 4, -1], positions);
        Assert.False(cursor.MoveNext());
    }

    [Fact]
    public void Every_cursor_over_a_view_yields_the_same_rows()
    {
        var view = new MnistContext(seed: 3).Data.ShuffleRows(_view);

        var first = SyntheticMnist.ReadColumn<byte>(view, "Label");
        var second = SyntheticMnist.ReadColumn<byte>(view, "Label");

        Assert.Equal(first, second);
    }

    [Fact]
    public void Column_from_another_view_is_rejected()
    {
        var other = new MnistContext().Data.LoadFromEnumerable(new[] { new IdRow { Id = 1 } });

        Assert.Throws<SchemaMismatchException>(() => _view.GetRowCursor([other.Schema["Id"]]));
    }

    private sealed class IdRow
    {
        public int Id { get; set; }
    }
}
