using MnistMl.Data;

namespace MnistMl.Transforms;

/// <summary>
/// A transformer that computes one output column from one input column, row by row. What such
/// transformers share (schema checks, the lazy view, passing other columns through) is in
/// <see cref="ColumnMappingView"/>; they supply only the type rule and the per-row conversion.
/// </summary>
internal interface IColumnMapper
{
    string InputColumnName { get; }

    string OutputColumnName { get; }

    /// <summary>The output column's type for <paramref name="input"/>.</summary>
    /// <exception cref="SchemaMismatchException"><paramref name="input"/> has a type the transformer cannot read.</exception>
    DataViewType GetOutputType(DataViewSchema.Column input);

    /// <summary>
    /// A getter of the output value for the row <paramref name="input"/> is on, of the output type's
    /// <see cref="DataViewType.RawType"/>. Called once per reader: buffers it allocates are reused for every row.
    /// </summary>
    Delegate CreateGetter(RowReader input, DataViewSchema.Column inputColumn);
}
