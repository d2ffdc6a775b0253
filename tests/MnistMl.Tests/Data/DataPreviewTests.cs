namespace MnistMl.Tests.Data;

public class DataPreviewTests
{
    private readonly MnistContext _ml = new();

    [Fact]
    public void Preview_reads_at_most_maxRows_rows()
    {
        var preview = _ml.Data.LoadMnist(SyntheticMnist.Create(5)).Preview(maxRows: 3);

        Assert.Equal([0L, 1, 2], preview.Rows.Select(r => r.Position));
    }

    [Fact]
    public void Preview_values_are_numbers_and_arrays_by_column_name()
    {
        var row = _ml.Data.LoadMnist(SyntheticMnist.Create(2)).Preview().Rows[1];

        Assert.Equal(["Label", "Image"], row.Values.Select(v => v.Key));
        Assert.Equal((byte)1, row.Values[0].Value);
        Assert.Equal(new[] { 0, 1, 2, 3, 4, 5 }.Select(p => SyntheticMnist.Pixel(1, p)), (byte[])row.Values[1].Value);
    }

    [Fact]
    public void Preview_text_shows_the_schema_then_a_line_per_row()
    {
        var preview = _ml.Data.LoadMnist(SyntheticMnist.Create(2, rows: 2, columns: 2)).Preview();

        Assert.Equal(
            """
            2 rows of Label: Byte, Image: Vector<Byte, 2, 2>
            [0] Label: 0 | Image: [0, 7, 14, 21]
            [1] Label: 1 | Image: [31, 38, 45, 52]
            """.ReplaceLineEndings("\n"),
            preview.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Preview_text_abbreviates_long_vectors()
    {
        var preview = _ml.Data.LoadMnist(SyntheticMnist.Create(1, rows: 4, columns: 4)).Preview();

        Assert.EndsWith("Image: [0, 7, 14, 21, 28, 35, 42, 49, 56, 63, … (16 values)]", preview.ToString());
    }
}
