using Microsoft.ML;
using Microsoft.ML.Data;
using MnistMl.Data;
using NumberDataViewType = Microsoft.ML.Data.NumberDataViewType;
using VectorDataViewType = Microsoft.ML.Data.VectorDataViewType;

namespace MnistMl.Tests.Data;

public sealed class IdxDataViewTests
{
    private static readonly MnistDataset Data = MnistTestData.Slice(MnistTestData.Test, 0, 1_000);

    [Fact]
    public void LoadMnist_gives_label_bytes_and_shaped_image_bytes()
    {
        var view = new MLContext().Data.LoadMnist(Data);

        Assert.Equal(1_000, view.GetRowCount());
        Assert.Equal(NumberDataViewType.Byte, view.Schema["Label"].Type);
        var image = Assert.IsType<VectorDataViewType>(view.Schema["Image"].Type);
        Assert.Equal(NumberDataViewType.Byte, image.ItemType);
        Assert.Equal([28, 28], image.Dimensions.ToArray());
    }

    [Fact]
    public void Cursor_reads_every_row_in_order()
    {
        var view = new MLContext().Data.LoadMnist(Data);

        var rows = ReadAll(view.GetRowCursor(view.Schema));

        Assert.Equal(Enumerable.Range(0, Data.Count), rows.Select(r => r.Id));
        Assert.All(rows, r => Assert.Equal(Data.Labels.Span[r.Id], r.Label));
        Assert.All(rows, r => Assert.Equal(Data.GetImage(r.Id).ToArray(), r.Image));
    }

    [Fact]
    public void Shuffled_cursor_visits_a_permutation_fixed_by_the_random_source()
    {
        var view = new MLContext().Data.LoadMnist(Data);

        var first = ReadAll(view.GetRowCursor(view.Schema, new Random(7))).Select(r => r.Id).ToList();
        var again = ReadAll(view.GetRowCursor(view.Schema, new Random(7))).Select(r => r.Id).ToList();

        Assert.Equal(first, again);
        Assert.NotEqual(Enumerable.Range(0, Data.Count), first);
        Assert.Equal(Enumerable.Range(0, Data.Count), first.Order());
        Assert.True(view.CanShuffle);
    }

    [Fact]
    public void Cursor_set_covers_every_row_once_and_batches_restore_the_order()
    {
        var view = new MLContext().Data.LoadMnist(Data);

        var cursors = view.GetRowCursorSet(view.Schema, 3);
        var rows = cursors.SelectMany(c => ReadAll(c, withBatch: true)).ToList();

        Assert.Equal(3, cursors.Length);
        Assert.Equal(Enumerable.Range(0, Data.Count), rows.Select(r => r.Id).Order());
        Assert.Equal(Enumerable.Range(0, Data.Count), rows.OrderBy(r => r.Batch).ThenBy(r => r.Id).Select(r => r.Id));
    }

    [Fact]
    public void MLNet_reads_it_back_as_objects_and_caches_it()
    {
        var ml = new MLContext();
        var view = ml.Data.Cache(ml.Data.LoadMnist(Data));

        var rows = ml.Data.CreateEnumerable<Row>(view, reuseRowObject: false).ToList();

        Assert.Equal(Data.Count, rows.Count);
        Assert.Equal(Data.Labels.Span[123], rows[123].Label);
        Assert.Equal(Data.GetImage(123).ToArray(), rows[123].Image);
    }

    [Fact]
    public void MLNet_shuffles_and_splits_it()
    {
        var ml = new MLContext(seed: 3);
        var view = ml.Data.LoadMnist(Data);

        var shuffled = ml.Data.CreateEnumerable<Row>(ml.Data.ShuffleRows(view), reuseRowObject: false).Select(r => r.Image).ToList();
        var split = ml.Data.TrainTestSplit(view, testFraction: 0.2);
        var train = ml.Data.CreateEnumerable<Row>(split.TrainSet, reuseRowObject: false).Count();
        var test = ml.Data.CreateEnumerable<Row>(split.TestSet, reuseRowObject: false).Count();

        Assert.Equal(Data.Count, shuffled.Count);
        Assert.NotEqual(Data.GetImage(0).ToArray(), shuffled[0]);
        Assert.Equal(Data.Count, train + test);
        Assert.InRange(test, 120, 280);
    }

    [Fact]
    public void Getter_of_a_column_not_asked_for_is_refused()
    {
        var view = new MLContext().Data.LoadMnist(Data);
        using var cursor = view.GetRowCursor([view.Schema["Label"]]);

        Assert.True(cursor.MoveNext());
        Assert.False(cursor.IsColumnActive(view.Schema["Image"]));
        Assert.Throws<InvalidOperationException>(() => cursor.GetGetter<VBuffer<byte>>(view.Schema["Image"]));
        Assert.Throws<InvalidOperationException>(() => cursor.GetGetter<float>(view.Schema["Label"]));
    }

    [Fact]
    public void LoadIdx_reads_any_idx_pair()
    {
        var view = new MLContext().Data.LoadIdx(
            Path.Combine(MnistTestData.Folder, "t10k-images-idx3-ubyte.gz"), Path.Combine(MnistTestData.Folder, "t10k-labels-idx1-ubyte.gz"));

        Assert.Equal(10_000, view.GetRowCount());
    }

    private static List<(int Id, byte Label, byte[] Image, long Batch)> ReadAll(Microsoft.ML.DataViewRowCursor cursor, bool withBatch = false)
    {
        using (cursor)
        {
            var id = cursor.GetIdGetter();
            var label = cursor.GetGetter<byte>(cursor.Schema["Label"]);
            var image = cursor.GetGetter<VBuffer<byte>>(cursor.Schema["Image"]);
            var rows = new List<(int, byte, byte[], long)>();
            while (cursor.MoveNext())
            {
                DataViewRowId rowId = default;
                byte value = 0;
                VBuffer<byte> pixels = default;
                id(ref rowId);
                label(ref value);
                image(ref pixels);
                rows.Add(((int)rowId.Low, value, pixels.DenseValues().ToArray(), withBatch ? cursor.Batch : 0));
            }

            return rows;
        }
    }

    private sealed class Row
    {
        public byte Label { get; set; }

        [VectorType(28, 28)]
        public byte[] Image { get; set; } = [];
    }
}
