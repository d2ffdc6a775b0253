using System.Numerics.Tensors;
using MnistMl.Data;

namespace MnistMl.Transforms;

/// <summary>
/// Estimates pixel scaling: a Byte or Single image vector becomes a Single vector of the same
/// shape, <c>(x − offset) / divisor</c>. By default <c>x / 255</c> (offset 0), the notebooks'
/// scaling to [0, 1]; with <see cref="Options.Standardize"/>, <see cref="Fit"/> measures the mean
/// and standard deviation of all pixels and the transformer computes <c>(x − mean) / std</c>.
/// </summary>
public sealed class PixelScalingEstimator : IEstimator<PixelScalingTransformer>
{
    private readonly PixelScalingTransformer _divide;
    private readonly bool _standardize;

    internal PixelScalingEstimator(Options options)
    {
        if (!(float.IsFinite(options.Divisor) && options.Divisor > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Divisor, "The divisor must be a positive finite number.");
        }

        _divide = new PixelScalingTransformer(options.InputColumnName, options.OutputColumnName, 0, options.Divisor);
        _standardize = options.Standardize;
    }

    /// <summary>
    /// Checks <paramref name="input"/>'s schema and returns the transformer; when standardising,
    /// first reads every row once to measure the pixels' mean and (population) standard deviation.
    /// </summary>
    /// <exception cref="SchemaMismatchException">The input column is missing or is not a fixed-size Byte or Single vector.</exception>
    /// <exception cref="DataValueException">Standardising a view without rows, or whose pixels are all equal.</exception>
    public PixelScalingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        _divide.GetOutputSchema(input.Schema);
        if (!_standardize)
        {
            return _divide;
        }

        var (mean, standardDeviation) = MeasurePixels(input, input.Schema[_divide.InputColumnName]);
        return new PixelScalingTransformer(_divide.InputColumnName, _divide.OutputColumnName, mean, standardDeviation);
    }

    /// <summary>
    /// Mean and population standard deviation of every pixel, in one pass over the rows: each row's
    /// mean and sum of squared deviations, merged into the running totals with Chan et al.'s
    /// pairwise update, which stays accurate where sum-of-squares formulas cancel.
    /// </summary>
    private static (float Mean, float StandardDeviation) MeasurePixels(IDataView input, DataViewSchema.Column column)
    {
        var reader = input.CreateReader();
        var write = ColumnValueReaders.CreateSingleVectorWriter(reader, column);
        var pixels = new float[((VectorDataViewType)column.Type).Size];
        double count = 0, mean = 0, squaredDeviations = 0;
        for (var row = 0; row < input.RowCount; row++)
        {
            reader.Seek(row);
            write(pixels);
            var rowMean = 0.0;
            foreach (var x in pixels)
            {
                rowMean += x;
            }

            rowMean /= pixels.Length;
            var rowSquaredDeviations = 0.0;
            foreach (var x in pixels)
            {
                rowSquaredDeviations += (x - rowMean) * (x - rowMean);
            }

            var total = count + pixels.Length;
            var delta = rowMean - mean;
            mean += delta * pixels.Length / total;
            squaredDeviations += rowSquaredDeviations + (delta * delta * count * pixels.Length / total);
            count = total;
        }

        var standardDeviation = count == 0 ? 0 : Math.Sqrt(squaredDeviations / count);
        if (!(standardDeviation > 0))
        {
            throw new DataValueException(
                column.Name, -1, count == 0 ? "there are no rows to measure the mean and standard deviation on." : $"every pixel is {mean}, so the standard deviation is 0 and cannot divide.");
        }

        return ((float)mean, (float)standardDeviation);
    }

    /// <summary>What to scale and how.</summary>
    public sealed class Options
    {
        /// <summary>The column to read: a fixed-size Byte or Single vector.</summary>
        public string InputColumnName { get; set; } = Defaults.ColumnName;

        /// <summary>The column to write; null to replace the input column.</summary>
        public string? OutputColumnName { get; set; }

        /// <summary>What pixels are divided by when not standardising.</summary>
        public float Divisor { get; set; } = Defaults.Divisor;

        /// <summary>Subtract the mean and divide by the standard deviation, both measured by <see cref="Fit"/>, instead of dividing by <see cref="Divisor"/>.</summary>
        public bool Standardize { get; set; } = Defaults.Standardize;

        /// <summary>The defaults of the options.</summary>
        public static class Defaults
        {
            /// <summary>The MNIST image column.</summary>
            public const string ColumnName = MnistColumnNames.Image;

            /// <summary>255, the largest byte value, which scales grey levels to [0, 1].</summary>
            public const float Divisor = 255f;

            /// <summary>Divide, do not standardise.</summary>
            public const bool Standardize = false;
        }
    }
}

/// <summary>Scales an image vector to Single: <c>(x − <see cref="Offset"/>) / <see cref="Divisor"/></c>. Made by <see cref="PixelScalingEstimator.Fit"/>.</summary>
public sealed class PixelScalingTransformer : OneToOneColumnTransformer
{
    internal PixelScalingTransformer(string inputColumnName, string? outputColumnName, float offset, float divisor)
        : base(inputColumnName, outputColumnName)
    {
        Offset = offset;
        Divisor = divisor;
    }

    /// <summary>Subtracted from every pixel: 0, or the mean when standardising.</summary>
    public float Offset { get; }

    /// <summary>What pixels are then divided by: 255 by default, or the standard deviation when standardising.</summary>
    public float Divisor { get; }

    private protected override DataViewType GetOutputType(DataViewSchema.Column input) =>
        ColumnValueReaders.IsByteOrSingleVector(input.Type)
            ? new VectorDataViewType(NumberDataViewType.Single, [.. ((VectorDataViewType)input.Type).Dimensions])
            : throw SchemaMismatchException.WrongType(input, "a fixed-size vector of Byte or Single", "pixel scaling");

    private protected override Delegate CreateGetter(RowReader input, DataViewSchema.Column inputColumn)
    {
        var write = ColumnValueReaders.CreateSingleVectorWriter(input, inputColumn);
        var scaled = new float[((VectorDataViewType)inputColumn.Type).Size];
        var (offset, divisor) = (Offset, Divisor);
        return (ValueGetter<ReadOnlyMemory<float>>)((ref ReadOnlyMemory<float> value) =>
        {
            write(scaled);
            if (offset != 0)
            {
                TensorPrimitives.Subtract(scaled, offset, scaled);
            }

            // Divide rather than multiply by 1/divisor: x / 255f is what Keras users compute, to the bit.
            TensorPrimitives.Divide(scaled, divisor, scaled);
            value = scaled;
        });
    }
}
