using MnistMl.Data;

namespace MnistMl.Tests.Data;

public class DataViewTypeTests
{
    [Fact]
    public void Vector_size_is_the_product_of_its_dimensions()
    {
        var type = new VectorDataViewType(NumberDataViewType.Single, 28, 28, 1);

        Assert.Equal(784, type.Size);
        Assert.True(type.IsKnownSize);
    }

    [Fact]
    public void Vector_without_dimensions_has_no_fixed_size()
    {
        var type = new VectorDataViewType(NumberDataViewType.Single);

        Assert.False(type.IsKnownSize);
        Assert.Equal("Vector<Single>", type.ToString());
    }

    [Fact]
    public void Vectors_are_equal_when_item_type_and_shape_are()
    {
        var image = new VectorDataViewType(NumberDataViewType.Byte, 28, 28);

        Assert.Equal(new VectorDataViewType(NumberDataViewType.Byte, 28, 28), image);
        Assert.NotEqual(new VectorDataViewType(NumberDataViewType.Byte, 784), image);
        Assert.NotEqual(new VectorDataViewType(NumberDataViewType.Single, 28, 28), image);
    }

    [Fact]
    public void Vectors_are_read_as_read_only_memory_of_their_item_type()
    {
        Assert.Equal(typeof(ReadOnlyMemory<byte>), new VectorDataViewType(NumberDataViewType.Byte, 2).RawType);
        Assert.Equal(typeof(float), NumberDataViewType.Single.RawType);
    }

    [Fact]
    public void Vector_rejects_a_dimension_that_is_not_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new VectorDataViewType(NumberDataViewType.Byte, 28, 0));
    }
}
