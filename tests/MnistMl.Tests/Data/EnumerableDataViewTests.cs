using MnistMl.Data;

namespace MnistMl.Tests.Data;

public class EnumerableDataViewTests
{
    private readonly MnistContext _ml = new();

    [Fact]
    public void Public_number_and_array_members_become_columns_in_declaration_order()
    {
        var view = _ml.Data.LoadFromEnumerable(Array.Empty<Digit>());

        Assert.Equal("Label: Int32, Pixels: Vector<Single, 2, 2>, Scores: Vector<Double>", view.Schema.ToString());
    }

    [Fact]
    public void Getters_read_the_objects_values()
    {
        var rows = new[] { new Digit { Label = 7, Pixels = [1, 2, 3, 4] }, new Digit { Label = 2, Pixels = [5, 6, 7, 8] } };
        var view = _ml.Data.LoadFromEnumerable(rows);

        Assert.Equal([7, 2], SyntheticMnist.ReadColumn<int>(view, "Label"));
        Assert.Equal([[1f, 2, 3, 4], [5f, 6, 7, 8]], SyntheticMnist.ReadVectors<float>(view, "Pixels"));
    }

    [Fact]
    public void Array_of_another_length_than_its_shape_is_rejected_when_read()
    {
        var view = _ml.Data.LoadFromEnumerable(new[] { new Digit { Pixels = [1, 2, 3, 4] }, new Digit { Pixels = [1, 2, 3] } });

        var error = Assert.Throws<DataValueException>(() => SyntheticMnist.ReadVectors<float>(view, "Pixels"));

        Assert.Equal(("Pixels", 1L), (error.ColumnName, error.Row));
        Assert.Contains("3 values", error.Message);
    }

    [Fact]
    public void Member_of_a_type_that_cannot_be_a_column_is_rejected_by_name()
    {
        var error = Assert.Throws<ArgumentException>(() => _ml.Data.LoadFromEnumerable(Array.Empty<Dated>()));

        Assert.Contains("Member 'Taken' of Dated has type DateTime", error.Message);
    }

    [Fact]
    public void String_members_become_text_columns_read_and_written_as_strings()
    {
        var view = _ml.Data.LoadFromEnumerable(new[] { new Named { Name = "seven.png" }, new Named { Name = "two.png" } });

        Assert.Equal(TextDataViewType.Instance, view.Schema["Name"].Type);
        Assert.Equal("Name: String", view.Schema.ToString());
        Assert.Equal(["seven.png", "two.png"], SyntheticMnist.ReadColumn<string>(view, "Name"));
        Assert.Equal(["seven.png", "two.png"], _ml.Data.CreateEnumerable<Named>(view).Select(n => n.Name));
    }

    [Fact]
    public void One_pass_sequence_is_enumerated_once_and_only_when_read()
    {
        var enumerations = 0;
        IEnumerable<Digit> Generate()
        {
            enumerations++;
            yield return new Digit { Label = 1 };
            yield return new Digit { Label = 2 };
        }

        var view = _ml.Data.LoadFromEnumerable(Generate());
        Assert.Equal(0, enumerations);

        SyntheticMnist.ReadColumn<int>(view, "Label");
        SyntheticMnist.ReadColumn<int>(view, "Label");

        Assert.Equal(1, enumerations);
    }

    [Fact]
    public void Objects_round_trip_through_a_view()
    {
        var rows = new[]
        {
            new Digit { Label = 3, Pixels = [0.5f, 1, 0, 2], Scores = [0.25] },
            new Digit { Label = 9, Pixels = [4, 3, 2, 1], Scores = [1, 2, 3] },
        };

        var back = _ml.Data.CreateEnumerable<Digit>(_ml.Data.LoadFromEnumerable(rows)).ToArray();

        Assert.Equal(rows.Select(r => (r.Label, r.Pixels, r.Scores)), back.Select(r => (r.Label, r.Pixels, r.Scores)));
    }

    [Fact]
    public void CreateEnumerable_reads_an_mnist_view_into_objects()
    {
        var view = _ml.Data.LoadMnist(SyntheticMnist.Create(3));

        var rows = _ml.Data.CreateEnumerable<MnistRow>(view).ToArray();

        Assert.Equal([0, 1, 2], rows.Select(r => (int)r.Label));
        Assert.Equal(SyntheticMnist.Pixel(2, 5), rows[2].Image[5]);
    }

    [Fact]
    public void CreateEnumerable_rejects_a_member_without_a_column()
    {
        var view = _ml.Data.LoadMnist(SyntheticMnist.Create(1));

        var error = Assert.Throws<SchemaMismatchException>(() => _ml.Data.CreateEnumerable<Scored>(view));

        Assert.Equal("There is no column 'Score'. The columns are: Label: Byte, Image: Vector<Byte, 3, 2>.", error.Message);
    }

    [Fact]
    public void CreateEnumerable_rejects_a_member_of_another_type_than_its_column()
    {
        var view = _ml.Data.LoadMnist(SyntheticMnist.Create(1));

        var error = Assert.Throws<SchemaMismatchException>(() => _ml.Data.CreateEnumerable<IntLabel>(view));

        Assert.Equal("Column 'Label' has type Byte, but member 'Label' of IntLabel needs Int32.", error.Message);
    }

    private sealed class Digit
    {
        public int Label { get; set; }

        [VectorShape(2, 2)]
        public float[] Pixels { get; set; } = [0, 0, 0, 0];

        public double[] Scores { get; set; } = [];
    }

    private sealed class MnistRow
    {
        public byte Label { get; set; }

        public byte[] Image { get; set; } = [];
    }

    private sealed class IntLabel
    {
        public int Label { get; set; }
    }

    private sealed class Scored
    {
        public float Score { get; set; }
    }

    private sealed class Named
    {
        public string Name { get; set; } = "";
    }

    private sealed class Dated
    {
        public DateTime Taken { get; set; }
    }
}
