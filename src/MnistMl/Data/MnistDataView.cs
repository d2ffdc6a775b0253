namespace MnistMl.Data;

/// <summary>
/// An <see cref="MnistDataset"/> as a view with columns <see cref="MnistColumnNames.Label"/>
/// (Byte) and <see cref="MnistColumnNames.Image"/> (Byte <c>[rows, columns]</c>). The getters hand
/// out slices of the dataset's own arrays: nothing is copied, let alone converted to float.
/// </summary>
internal sealed class MnistDataView : RandomAccessDataView
{
    private readonly MnistDataset _dataset;

    public MnistDataView(MnistDataset dataset)
    {
        _dataset = dataset;
        Schema = new DataViewSchema(
        [
            (MnistColumnNames.Label, NumberDataViewType.Byte),
            (MnistColumnNames.Image, new VectorDataViewType(NumberDataViewType.Byte, dataset.Rows, dataset.Columns)),
        ]);
    }

    public override DataViewSchema Schema { get; }

    public override int RowCount => _dataset.Count;

    public override RowReader CreateReader() => new Reader(this);

    private sealed class Reader : RowReader
    {
        private readonly MnistDataset _dataset;

        public Reader(MnistDataView view)
            : base(view.Schema)
        {
            _dataset = view._dataset;
        }

        public override Delegate CreateGetter(int columnIndex) => columnIndex == 0
            ? (ValueGetter<byte>)((ref byte value) => value = _dataset.Labels.Span[Row])
            : (ValueGetter<ReadOnlyMemory<byte>>)((ref ReadOnlyMemory<byte> value) =>
                value = _dataset.Images.Slice(Row * _dataset.PixelsPerImage, _dataset.PixelsPerImage));
    }
}
