namespace MnistMl.Data;

/// <summary>
/// A table of rows with a <see cref="Schema"/>: lazy (building one reads nothing), immutable, and
/// repeatable (every cursor sees the same rows in the same order). Create views through
/// <see cref="MnistContext.Data"/> and transforms; only MnistMl implements this interface, because
/// every view must also support reading any row directly, which shuffling and batching rely on.
/// </summary>
public interface IDataView
{
    /// <summary>The columns of every row.</summary>
    DataViewSchema Schema { get; }

    /// <summary>Number of rows. MnistMl's views always know it (buffering a one-pass sequence if they must).</summary>
    long? GetRowCount();

    /// <summary>Opens a cursor over the rows, in order, that can read the <paramref name="columnsNeeded"/>.</summary>
    /// <param name="columnsNeeded">Columns of <see cref="Schema"/> the caller will ask getters for.</param>
    DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded);

    /// <summary>Number of rows; fits an <see cref="int"/> because every source is an array or a list.</summary>
    internal int RowCount { get; }

    /// <summary>A reader that can be positioned on any row, with buffers of its own.</summary>
    internal RowReader CreateReader();
}
