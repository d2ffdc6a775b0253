namespace MnistMl.Data;

/// <summary>
/// Objects of a row class as a view: one column per public number or number-array member (see
/// <see cref="RowMember{TRow}"/>). A list or array is read in place; any other sequence is
/// enumerated once, on first use, and buffered, since a view must reach any row directly.
/// </summary>
internal sealed class EnumerableDataView<TRow> : RandomAccessDataView
    where TRow : class
{
    private readonly IReadOnlyList<RowMember<TRow>> _members;
    private readonly Lazy<IReadOnlyList<TRow>> _rows;

    public EnumerableDataView(IEnumerable<TRow> data)
    {
        _members = RowMember<TRow>.Discover(writable: false);
        _rows = new(() => data as IReadOnlyList<TRow> ?? [.. data]);
        Schema = new DataViewSchema(_members.Select(m => (m.Name, m.Type)));
    }

    public override DataViewSchema Schema { get; }

    public override int RowCount => _rows.Value.Count;

    public override RowReader CreateReader() => new Reader(this);

    private sealed class Reader : RowReader
    {
        private readonly EnumerableDataView<TRow> _view;
        private readonly IReadOnlyList<TRow> _rows;

        public Reader(EnumerableDataView<TRow> view)
            : base(view.Schema)
        {
            _view = view;
            _rows = view._rows.Value;
        }

        public override Delegate CreateGetter(int columnIndex) => _view._members[columnIndex].CreateGetter(this, _rows);
    }
}
