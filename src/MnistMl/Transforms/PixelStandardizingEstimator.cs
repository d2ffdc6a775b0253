using Microsoft.ML;
using Microsoft.ML.Data;
using MnistMl.Data;

namespace MnistMl.Transforms;

/// <summary>
/// <c>ml.Transforms.StandardizePixels(...)</c>: measures the mean and population standard deviation
/// of all pixels of the column, then scales as <c>ml.Transforms.ScalePixels</c> does with them.
/// <see cref="Fit"/> returns ML.NET's own transformers, so the step saves with the pipeline.
/// </summary>
public sealed class PixelStandardizingEstimator : IEstimator<ITransformer>
{
    private readonly string _output;
    private readonly string _input;

    internal PixelStandardizingEstimator(string outputColumnName, string inputColumnName)
    {
        _output = outputColumnName;
        _input = inputColumnName;
    }

    /// <summary>Measures the pixels of <paramref name="input"/> and returns the scaling.</summary>
    /// <exception cref="SchemaMismatchException">The column is missing or not a Byte or Single vector.</exception>
    /// <exception cref="DataValueException">The column has no pixels, all of one value, or a value that is not finite.</exception>
    public ITransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var scaling = Measure(input);
        return new MLContext().Transforms.ScalePixels(scaling, _output, _input).Fit(input);
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) =>
        new MLContext().Transforms.ScalePixels(PixelScaling.UnitRange, _output, _input).GetOutputSchema(inputSchema);

    /// <summary>The mean and population standard deviation of every pixel of every row, summed in double.</summary>
    private PixelScaling Measure(IDataView input)
    {
        var column = input.Schema.GetColumnOrNull(_input) ?? throw SchemaMismatchException.MissingColumn(_input, "pixel", input.Schema.Select(c => c.Name));
        var item = column.Type is VectorDataViewType vector ? vector.ItemType : null;
        if (item != NumberDataViewType.Byte && item != NumberDataViewType.Single)
        {
            throw new SchemaMismatchException(_input, $"Column '{_input}' must be a Byte or Single vector of pixels; it is {column.Type}.");
        }

        double sum = 0, sumOfSquares = 0;
        long count = 0;
        using var cursor = input.GetRowCursor([column]);
        if (item == NumberDataViewType.Byte)
        {
            var get = cursor.GetGetter<VBuffer<byte>>(column);
            VBuffer<byte> row = default;
            while (cursor.MoveNext())
            {
                get(ref row);
                foreach (var value in row.DenseValues())
                {
                    (sum, sumOfSquares, count) = (sum + value, sumOfSquares + ((double)value * value), count + 1);
                }
            }
        }
        else
        {
            var get = cursor.GetGetter<VBuffer<float>>(column);
            VBuffer<float> row = default;
            while (cursor.MoveNext())
            {
                get(ref row);
                foreach (var value in row.DenseValues())
                {
                    if (!float.IsFinite(value))
                    {
                        throw new DataValueException(_input, cursor.Position, $"a pixel is {value}; pixels must be finite.");
                    }

                    (sum, sumOfSquares, count) = (sum + value, sumOfSquares + ((double)value * value), count + 1);
                }
            }
        }

        var mean = count == 0 ? 0 : sum / count;
        var std = count == 0 ? 0 : Math.Sqrt(Math.Max(0, (sumOfSquares / count) - (mean * mean)));
        return count > 0 && std > 0
            ? new PixelScaling((float)mean, (float)std)
            : throw new DataValueException(_input, -1, count == 0 ? "there are no pixels to measure." : $"every pixel is {mean}; a standard deviation of 0 cannot scale them.");
    }
}
