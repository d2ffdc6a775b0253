using MnistMl.Data;
using MnistMl.Training;

namespace MnistMl.Tests.Training;

public class DataViewSampleSourceTests
{
    private readonly MnistContext _ml = new(seed: 11);

    [Fact]
    public void Batches_equal_what_a_cursor_yields_for_the_same_rows()
    {
        var view = PreparedMnist(40);
        var source = new DataViewSampleSource(view);
        var images = SyntheticMnist.ReadVectors<float>(view, "Image");
        var labels = SyntheticMnist.ReadVectors<float>(view, "Label");
        int[] indices = [5, 0, 39, 5, 17];
        var features = new float[indices.Length * 6];
        var targets = new float[indices.Length * 10];

        source.FillBatch(indices, features, targets);

        Assert.Equal(indices.SelectMany(i => images[i]), features);
        Assert.Equal(indices.SelectMany(i => labels[i]), targets);
    }

    [Fact]
    public void Shape_and_target_width_come_from_the_feature_and_label_columns()
    {
        var source = new DataViewSampleSource(PreparedMnist(3));

        Assert.Equal((3, "3×2×1", 10), (source.Count, string.Join("×", source.SampleShape), source.TargetWidth));
    }

    [Fact]
    public void Byte_features_are_converted_as_they_are_and_byte_labels_are_class_indices()
    {
        var dataset = SyntheticMnist.Create(4);
        var source = new DataViewSampleSource(_ml.Data.LoadMnist(dataset));
        var features = new float[2 * 6];
        var targets = new float[2];

        source.FillBatch([3, 1], features, targets);

        Assert.Equal(1, source.TargetWidth);
        Assert.Equal(dataset.GetImage(3).ToArray().Concat(dataset.GetImage(1).ToArray()).Select(b => (float)b), features);
        Assert.Equal([3f, 1f], targets);
    }

    [Fact]
    public void Index_outside_the_view_is_rejected()
    {
        var source = new DataViewSampleSource(_ml.Data.LoadMnist(SyntheticMnist.Create(4)));

        Assert.Throws<ArgumentOutOfRangeException>(() => source.FillBatch([4], new float[6], new float[1]));
    }

    [Fact]
    public void Label_column_of_another_type_is_rejected_naming_the_types()
    {
        var view = _ml.Data.LoadMnist(SyntheticMnist.Create(1));

        var error = Assert.Throws<SchemaMismatchException>(() => new DataViewSampleSource(view, "Image", "Image"));

        Assert.StartsWith("Column 'Image' has type Vector<Byte, 3, 2>, but a batch's targets needs a fixed-size Single vector (one-hot)", error.Message);
    }

    [Fact]
    public void Filling_batches_allocates_nothing_per_row_once_warm()
    {
        var source = new DataViewSampleSource(PreparedMnist(1_000));
        var indices = Enumerable.Range(0, 128).Select(i => (i * 7) % 1_000).ToArray();
        var features = new float[128 * 6];
        var targets = new float[128 * 10];
        source.FillBatch(indices, features, targets);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var batch = 0; batch < 50; batch++)
        {
            source.FillBatch(indices, features, targets);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>The notebooks' preparation: shuffled, scaled to [0, 1], shaped [rows, columns, 1], one-hot labels.</summary>
    private IDataView PreparedMnist(int count)
    {
        var view = _ml.Data.ShuffleRows(_ml.Data.LoadMnist(SyntheticMnist.Create(count)));
        return _ml.Transforms.ScalePixels()
            .Append(_ml.Transforms.Reshape(3, 2, 1))
            .Append(_ml.Transforms.OneHot())
            .Fit(view)
            .Transform(view);
    }
}
