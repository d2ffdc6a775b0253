using Microsoft.ML.Data;

namespace MnistMl.Data;

/// <summary>
/// An <see cref="MnistDataset"/> as an ML.NET <see cref="Microsoft.ML.IDataView"/> with the columns
/// <c>Label</c> (Byte) and <c>Image</c> (Byte vector of shape [rows, columns]). Lazy and repeatable:
/// a cursor copies one image's bytes into the caller's buffer when asked, never the whole set, and
/// never as floats.
/// </summary>
/// <remarks>
/// Shuffling is supported (a cursor given a <see cref="Random"/> visits the rows in a permutation
/// drawn from it). A cursor set splits the rows into blocks of <see cref="BlockRows"/> dealt round
/// the cursors; a row's <see cref="Microsoft.ML.DataViewRow.Batch"/> is its block, so ML.NET's consolidation
/// restores the cursor's order.
/// </remarks>
internal sealed class IdxDataView : Microsoft.ML.IDataView
{
    /// <summary>Rows a cursor of a set reads before the next cursor's turn.</summary>
    internal const int BlockRows = 128;

    private readonly MnistDataset _data;

    public IdxDataView(MnistDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        _data = data;
        var builder = new Microsoft.ML.DataViewSchema.Builder();
        builder.AddColumn(MnistColumnNames.Label, Microsoft.ML.Data.NumberDataViewType.Byte);
        builder.AddColumn(MnistColumnNames.Image, new Microsoft.ML.Data.VectorDataViewType(Microsoft.ML.Data.NumberDataViewType.Byte, data.Rows, data.Columns));
        Schema = builder.ToSchema();
    }

    /// <summary>The dataset the view reads.</summary>
    internal MnistDataset Dataset => _data;

    public bool CanShuffle => true;

    public Microsoft.ML.DataViewSchema Schema { get; }

    public long? GetRowCount() => _data.Count;

    public Microsoft.ML.DataViewRowCursor GetRowCursor(IEnumerable<Microsoft.ML.DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        GetRowCursorSet(columnsNeeded, 1, rand)[0];

    public Microsoft.ML.DataViewRowCursor[] GetRowCursorSet(IEnumerable<Microsoft.ML.DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        ArgumentNullException.ThrowIfNull(columnsNeeded);
        var active = new bool[Schema.Count];
        foreach (var column in columnsNeeded)
        {
            CheckColumn(column);
            active[column.Index] = true;
        }

        var order = rand is null ? null : Permutation(_data.Count, rand);
        var cursors = Math.Clamp(n, 1, Math.Max(1, (_data.Count + BlockRows - 1) / BlockRows));
        return [.. Enumerable.Range(0, cursors).Select(k => (Microsoft.ML.DataViewRowCursor)new Cursor(this, active, order, k, cursors))];
    }

    private void CheckColumn(Microsoft.ML.DataViewSchema.Column column)
    {
        if (column.Index < 0 || column.Index >= Schema.Count || !Schema[column.Index].Type.Equals(column.Type) || Schema[column.Index].Name != column.Name)
        {
            throw new ArgumentException($"Column '{column.Name}' is not a column of this MNIST view (its columns: Label, Image).", nameof(column));
        }
    }

    private static int[] Permutation(int count, Random rand)
    {
        var order = new int[count];
        for (var i = 0; i < count; i++)
        {
            order[i] = i;
        }

        rand.Shuffle(order);
        return order;
    }

    private sealed class Cursor : Microsoft.ML.DataViewRowCursor
    {
        private readonly IdxDataView _view;
        private readonly bool[] _active;
        private readonly int[]? _order;
        private readonly int _cursor;
        private readonly int _cursors;
        private long _position = -1;
        private long _sequenceIndex = -1;
        private int _row = -1;
        private bool _done;

        public Cursor(IdxDataView view, bool[] active, int[]? order, int cursor, int cursors)
        {
            _view = view;
            _active = active;
            _order = order;
            _cursor = cursor;
            _cursors = cursors;
        }

        public override Microsoft.ML.DataViewSchema Schema => _view.Schema;

        public override long Position => _position;

        public override long Batch => _cursors == 1 || _sequenceIndex < 0 ? 0 : _sequenceIndex / BlockRows;

        public override bool MoveNext()
        {
            if (_done)
            {
                return false;
            }

            // Cursor k of n visits blocks k, k + n, k + 2n, ... of the visiting sequence.
            var next = _sequenceIndex < 0 ? (long)_cursor * BlockRows : _sequenceIndex + 1;
            if (_sequenceIndex >= 0 && next % BlockRows == 0)
            {
                next += (long)(_cursors - 1) * BlockRows;
            }

            if (next >= _view._data.Count)
            {
                _done = true;
                _row = -1;
                _position = -1;
                return false;
            }

            _sequenceIndex = next;
            _row = _order is null ? (int)next : _order[next];
            _position++;
            return true;
        }

        public override Microsoft.ML.ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId value) => value = new DataViewRowId((ulong)CurrentRow(), 0);

        public override bool IsColumnActive(Microsoft.ML.DataViewSchema.Column column)
        {
            _view.CheckColumn(column);
            return _active[column.Index];
        }

        public override Microsoft.ML.ValueGetter<TValue> GetGetter<TValue>(Microsoft.ML.DataViewSchema.Column column)
        {
            _view.CheckColumn(column);
            if (!_active[column.Index])
            {
                throw new InvalidOperationException($"Column '{column.Name}' was not asked for when this cursor was made.");
            }

            var data = _view._data;
            Delegate getter = column.Index == 0
                ? (Microsoft.ML.ValueGetter<byte>)((ref byte value) => value = data.Labels.Span[CurrentRow()])
                : (Microsoft.ML.ValueGetter<VBuffer<byte>>)((ref VBuffer<byte> value) =>
                {
                    var editor = VBufferEditor.Create(ref value, data.PixelsPerImage);
                    data.GetImage(CurrentRow()).CopyTo(editor.Values);
                    value = editor.Commit();
                });
            return getter as Microsoft.ML.ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' holds {column.Type}; it cannot be read as {typeof(TValue).Name}.");
        }

        private int CurrentRow() => _row >= 0 ? _row : throw new InvalidOperationException("The cursor is not on a row: call MoveNext first, and read only while it returns true.");
    }
}
