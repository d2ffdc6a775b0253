using MnistMl.Data;

namespace MnistMl.Tests.Data;

public class DataViewSchemaTests
{
    private static readonly DataViewSchema Schema = new MnistContext().Data.LoadMnist(SyntheticMnist.Create(2)).Schema;

    [Fact]
    public void Indexer_by_name_returns_the_column_with_its_index_and_type()
    {
        var image = Schema["Image"];

        Assert.Equal(("Image", 1), (image.Name, image.Index));
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Byte, 3, 2), image.Type);
    }

    [Fact]
    public void Indexer_for_a_missing_column_names_it_and_lists_the_existing_ones()
    {
        var error = Assert.Throws<SchemaMismatchException>(() => Schema["Features"]);

        Assert.Equal("Features", error.ColumnName);
        Assert.Equal("There is no column 'Features'. The columns are: Label: Byte, Image: Vector<Byte, 3, 2>.", error.Message);
    }

    [Fact]
    public void Indexer_error_suggests_the_column_that_differs_only_in_case()
    {
        var error = Assert.Throws<SchemaMismatchException>(() => Schema["image"]);

        Assert.EndsWith("did you mean 'Image'?", error.Message);
    }

    [Fact]
    public void GetColumnOrNull_returns_null_for_a_missing_column()
    {
        Assert.Null(Schema.GetColumnOrNull("Features"));
        Assert.Same(Schema[0], Schema.GetColumnOrNull("Label"));
    }
}
