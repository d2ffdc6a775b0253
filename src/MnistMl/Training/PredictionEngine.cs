using MnistMl.Data;
using MnistMl.Transforms;

namespace MnistMl.Training;

/// <summary>
/// Predicts one object at a time through a fitted pipeline, as ML.NET's <c>PredictionEngine</c>:
/// the members of <typeparamref name="TSrc"/> are the input columns, the writable members of
/// <typeparamref name="TDst"/> (by name or <see cref="ColumnNameAttribute"/>) are filled from the
/// output columns. It reuses its buffers (after the first call only the result is allocated) and
/// is NOT thread-safe: use one engine per thread, or <c>MnistModel.Predict</c> from many threads.
/// </summary>
public sealed class PredictionEngine<TSrc, TDst>
    where TSrc : class
    where TDst : class, new()
{
    private readonly TSrc?[] _row = new TSrc?[1];
    private readonly DataViewRowCursor _cursor;
    private readonly Action<TDst> _fill;

    internal PredictionEngine(ITransformer transformer)
    {
        ArgumentNullException.ThrowIfNull(transformer);
        var view = TransformSingleRow(transformer, new EnumerableDataView<TSrc>(_row!));
        (_cursor, _fill) = RowObjectEnumerable.CreateFiller<TDst>(view);
    }

    /// <summary>The prediction for <paramref name="example"/>.</summary>
    /// <exception cref="DataValueException">A value of the example cannot be used (e.g. an image of the wrong size).</exception>
    public TDst Predict(TSrc example)
    {
        ArgumentNullException.ThrowIfNull(example);
        _row[0] = example;
        try
        {
            _cursor.Rewind();
            _cursor.MoveNext();
            var result = new TDst();
            _fill(result);
            return result;
        }
        finally
        {
            _row[0] = null;
        }
    }

    private static IDataView TransformSingleRow(ITransformer transformer, IDataView input) => transformer switch
    {
        MulticlassPredictionTransformer scorer => scorer.TransformSingleRow(input),
        IEnumerable<ITransformer> chain => chain.Aggregate(input, (view, step) => TransformSingleRow(step, view)),
        _ => transformer.Transform(input),
    };
}
