using System.Diagnostics.CodeAnalysis;
using MnistMl.Transforms;

namespace MnistMl.Data;

/// <summary>
/// <see cref="MnistContext.Data"/>: creating data views (from MNIST, from objects), reading them
/// back as objects, shuffling and splitting them. Every view is lazy: nothing is read here.
/// </summary>
[SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "Catalog operations are reached through the context (ml.Data.X), as in ML.NET.")]
public sealed class DataOperationsCatalog
{
    internal DataOperationsCatalog(MnistContext context)
    {
        Context = context;
    }

    /// <summary>The context whose seed shuffles without an explicit seed use.</summary>
    internal MnistContext Context { get; }

    /// <summary>
    /// A view of <paramref name="dataset"/> with columns <see cref="MnistColumnNames.Label"/> (Byte)
    /// and <see cref="MnistColumnNames.Image"/> (Byte <c>[rows, columns]</c>), over the dataset's
    /// own arrays: no copy is made.
    /// </summary>
    public IDataView LoadMnist(MnistDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return new MnistDataView(dataset);
    }

    /// <summary>
    /// A view of objects: every public property or field of <typeparamref name="TRow"/> that is a
    /// number (<c>byte</c>, <c>int</c>, <c>float</c>, ...) or <c>string</c> becomes a scalar column of that name, and
    /// every array of numbers a vector column, shaped by <see cref="VectorShapeAttribute"/> if present.
    /// A list or array is read in place (so it must not change while the view is used); any other
    /// sequence is enumerated once, on first use.
    /// </summary>
    /// <exception cref="ArgumentException">A public member has a type that cannot be a column.</exception>
    public IDataView LoadFromEnumerable<TRow>(IEnumerable<TRow> data)
        where TRow : class
    {
        ArgumentNullException.ThrowIfNull(data);
        return new EnumerableDataView<TRow>(data);
    }

    /// <summary>
    /// The rows of <paramref name="data"/> as new <typeparamref name="TRow"/> objects: every public
    /// writable number or number-array member is set from the column of the same name. Lazy: rows
    /// are read as the sequence is enumerated, and each enumeration reads them again.
    /// </summary>
    /// <exception cref="SchemaMismatchException">A member has no column of its name, or the column's type differs from the member's.</exception>
    public IEnumerable<TRow> CreateEnumerable<TRow>(IDataView data)
        where TRow : class, new()
    {
        ArgumentNullException.ThrowIfNull(data);
        return RowObjectEnumerable.Create<TRow>(data);
    }

    /// <summary>The rows of <paramref name="input"/> in a random order, the same order on every cursor.</summary>
    /// <param name="input">The rows to shuffle.</param>
    /// <param name="seed">Fixes the order; null to draw one from the context's seed.</param>
    public IDataView ShuffleRows(IDataView input, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new ShuffledDataView(input, seed ?? Context.NextSeed());
    }

    /// <summary>
    /// Splits <paramref name="data"/> as Keras's <c>validation_split</c> does: the validation part is
    /// the last <paramref name="validationFraction"/> of the rows, taken before any shuffling, and
    /// training keeps the first <c>floor(rows × (1 − fraction))</c> (60,000 × 0.1 → 54,000 + 6,000).
    /// </summary>
    /// <param name="data">The rows to split.</param>
    /// <param name="validationFraction">The fraction of rows to validate on, strictly between 0 and 1.</param>
    /// <param name="shuffleFirst">Shuffle all rows before splitting, so validation rows come from anywhere in the data.</param>
    /// <param name="seed">Fixes the shuffle when <paramref name="shuffleFirst"/> is set; null to draw one from the context's seed.</param>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is not strictly between 0 and 1.</exception>
    /// <exception cref="ArgumentException">The fraction leaves one of the parts without rows.</exception>
    public TrainValidationData ValidationSplit(IDataView data, double validationFraction, bool shuffleFirst = false, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!(validationFraction > 0 && validationFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "The validation fraction must be strictly between 0 and 1.");
        }

        var rows = data.RowCount;
        var trainRows = (int)Math.Floor(rows * (1.0 - validationFraction));
        if (trainRows == 0 || trainRows == rows)
        {
            throw new ArgumentException(
                $"A validation fraction of {validationFraction} splits {rows} rows into {trainRows} to train on and {rows - trainRows} to validate on; both need at least one.",
                nameof(validationFraction));
        }

        var source = shuffleFirst ? ShuffleRows(data, seed) : data;
        return new TrainValidationData(new RowRangeDataView(source, 0, trainRows), new RowRangeDataView(source, trainRows, rows - trainRows));
    }
}
