using MnistMl.Data;

namespace MnistMl.Tests.Transforms;

public class OneHotEncodingTests
{
    private readonly MnistContext _ml = new();

    [Fact]
    public void OneHot_writes_one_at_the_label_index_and_zero_elsewhere()
    {
        var view = _ml.Data.LoadFromEnumerable(new[] { new Row { Label = 2 }, new Row { Label = 0 }, new Row { Label = 3 } });

        var encoded = _ml.Transforms.OneHot(classCount: 4).Fit(view).Transform(view);

        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 4), encoded.Schema["Label"].Type);
        Assert.Equal([[0f, 0, 1, 0], [1f, 0, 0, 0], [0f, 0, 0, 1]], SyntheticMnist.ReadVectors<float>(encoded, "Label"));
    }

    [Fact]
    public void OneHot_rejects_a_label_outside_the_classes_naming_row_and_value()
    {
        var view = _ml.Data.LoadFromEnumerable(new[] { new Row { Label = 1 }, new Row { Label = -1 } });
        var encoded = _ml.Transforms.OneHot(classCount: 3).Fit(view).Transform(view);

        var error = Assert.Throws<DataValueException>(() => SyntheticMnist.ReadVectors<float>(encoded, "Label"));

        Assert.Equal("Row 1, column 'Label': label -1 is not a class in 0–2.", error.Message);
    }

    [Fact]
    public void OneHot_rejects_a_column_that_is_not_an_integer_scalar()
    {
        var view = _ml.Data.LoadMnist(SyntheticMnist.Create(1));

        var error = Assert.Throws<SchemaMismatchException>(() => _ml.Transforms.OneHot("Image").Fit(view));

        Assert.StartsWith("Column 'Image' has type Vector<Byte, 3, 2>, but one-hot encoding needs an integer scalar (Byte, SByte,", error.Message);
    }

    private sealed class Row
    {
        public int Label { get; set; }
    }
}
