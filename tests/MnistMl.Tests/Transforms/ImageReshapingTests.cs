using MnistMl.Data;

namespace MnistMl.Tests.Transforms;

public class ImageReshapingTests
{
    private readonly MnistContext _ml = new();

    [Fact]
    public void Reshape_gives_height_width_channels_and_keeps_the_values()
    {
        var view = _ml.Data.LoadMnist(SyntheticMnist.Create(3, rows: 3, columns: 2));

        var reshaped = _ml.Transforms.Reshape(3, 2, 1).Fit(view).Transform(view);

        Assert.Equal(new VectorDataViewType(NumberDataViewType.Byte, 3, 2, 1), reshaped.Schema["Image"].Type);
        Assert.Equal(SyntheticMnist.ReadVectors<byte>(view, "Image"), SyntheticMnist.ReadVectors<byte>(reshaped, "Image"));
    }

    [Fact]
    public void Reshape_rejects_another_element_count_naming_both()
    {
        var view = _ml.Data.LoadMnist(SyntheticMnist.Create(1, rows: 3, columns: 2));

        var error = Assert.Throws<SchemaMismatchException>(() => _ml.Transforms.Reshape(28, 28).Fit(view));

        Assert.Equal(
            "Column 'Image' has type Vector<Byte, 3, 2>, but reshaping to [28, 28, 1] needs 784 values (a Byte vector of any shape holding 784).",
            error.Message);
    }

    [Fact]
    public void Reshape_gives_a_variable_size_vector_its_shape_and_checks_each_row()
    {
        var view = _ml.Data.LoadFromEnumerable(new[] { new Unshaped { Pixels = [1, 2, 3, 4] }, new Unshaped { Pixels = [1, 2] } });
        var reshaped = _ml.Transforms.Reshape(2, 2, 1, "Pixels").Fit(view).Transform(view);

        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 2, 2, 1), reshaped.Schema["Pixels"].Type);
        var error = Assert.Throws<DataValueException>(() => SyntheticMnist.ReadVectors<float>(reshaped, "Pixels"));
        Assert.Equal(1, error.Row);
    }

    private sealed class Unshaped
    {
        public float[] Pixels { get; set; } = [];
    }
}
