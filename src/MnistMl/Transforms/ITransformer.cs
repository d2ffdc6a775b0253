using MnistMl.Data;

namespace MnistMl.Transforms;

/// <summary>
/// A fitted step of a pipeline: turns a view into a new lazy view. <see cref="Transform"/> only
/// checks the input's schema; rows are computed when the result is read.
/// </summary>
public interface ITransformer
{
    /// <summary>The schema <see cref="Transform"/> would produce from <paramref name="inputSchema"/>.</summary>
    /// <exception cref="SchemaMismatchException">A column this transformer reads is missing or has the wrong type.</exception>
    DataViewSchema GetOutputSchema(DataViewSchema inputSchema);

    /// <summary>A lazy view of <paramref name="input"/> transformed.</summary>
    /// <exception cref="SchemaMismatchException">A column this transformer reads is missing or has the wrong type.</exception>
    IDataView Transform(IDataView input);
}
