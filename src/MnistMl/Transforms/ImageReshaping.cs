using System.Reflection;
using MnistMl.Data;

namespace MnistMl.Transforms;

/// <summary>
/// Estimates image reshaping: gives a vector the shape height × width × channels (e.g. MNIST's
/// <c>[28, 28]</c> → <c>[28, 28, 1]</c> for a convolutional network). The values and their order
/// are unchanged and not copied; only the declared shape changes, so the element count must match.
/// A vector whose size varies by row is checked row by row instead.
/// </summary>
public sealed class ImageReshapingEstimator : IEstimator<ImageReshapingTransformer>
{
    private readonly ImageReshapingTransformer _transformer;

    internal ImageReshapingEstimator(Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.InputColumnName, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Height, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Width, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Channels, 1, nameof(options));
        var output = string.IsNullOrWhiteSpace(options.OutputColumnName) ? options.InputColumnName : options.OutputColumnName;
        _transformer = new ImageReshapingTransformer(options.InputColumnName, output, options.Height, options.Width, options.Channels);
    }

    /// <summary>Checks <paramref name="input"/>'s schema and returns the transformer; there is nothing to learn.</summary>
    /// <exception cref="SchemaMismatchException">The input column is missing, is not a vector, or has another element count.</exception>
    public ImageReshapingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        _transformer.GetOutputSchema(input.Schema);
        return _transformer;
    }

    /// <summary>The shape to give and the columns.</summary>
    public sealed class Options
    {
        /// <summary>The column to read: a vector of any number type.</summary>
        public string InputColumnName { get; set; } = Defaults.ColumnName;

        /// <summary>The column to write; null to replace the input column.</summary>
        public string? OutputColumnName { get; set; }

        /// <summary>Rows of the image.</summary>
        public int Height { get; set; }

        /// <summary>Columns of the image.</summary>
        public int Width { get; set; }

        /// <summary>Values per pixel: 1 for grey levels.</summary>
        public int Channels { get; set; } = Defaults.Channels;

        /// <summary>The defaults of the options.</summary>
        public static class Defaults
        {
            /// <summary>The MNIST image column.</summary>
            public const string ColumnName = MnistColumnNames.Image;

            /// <summary>One channel: grey levels.</summary>
            public const int Channels = 1;
        }
    }
}

/// <summary>Gives a vector the shape <c>[Height, Width, Channels]</c>. Made by <see cref="ImageReshapingEstimator.Fit"/>.</summary>
public sealed class ImageReshapingTransformer : ITransformer, IColumnMapper
{
    internal ImageReshapingTransformer(string inputColumnName, string outputColumnName, int height, int width, int channels)
    {
        InputColumnName = inputColumnName;
        OutputColumnName = outputColumnName;
        Height = height;
        Width = width;
        Channels = channels;
    }

    /// <summary>The column read.</summary>
    public string InputColumnName { get; }

    /// <summary>The column written.</summary>
    public string OutputColumnName { get; }

    /// <summary>Rows of the image.</summary>
    public int Height { get; }

    /// <summary>Columns of the image.</summary>
    public int Width { get; }

    /// <summary>Values per pixel.</summary>
    public int Channels { get; }

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => ColumnMappingView.OutputSchema(this, inputSchema);

    /// <inheritdoc/>
    public IDataView Transform(IDataView input) => ColumnMappingView.Create(this, input);

    DataViewType IColumnMapper.GetOutputType(DataViewSchema.Column input)
    {
        var shaped = $"[{Height}, {Width}, {Channels}]";
        if (input.Type is not VectorDataViewType vector)
        {
            throw SchemaMismatchException.WrongType(input, $"a vector of {Height * Width * Channels} values", $"reshaping to {shaped}");
        }

        var output = new VectorDataViewType(vector.ItemType, Height, Width, Channels);
        if (vector.IsKnownSize && vector.Size != output.Size)
        {
            throw SchemaMismatchException.WrongType(
                input, $"{output.Size} values (a {vector.ItemType} vector of any shape holding {output.Size})", $"reshaping to {shaped}");
        }

        return output;
    }

    Delegate IColumnMapper.CreateGetter(RowReader input, DataViewSchema.Column inputColumn)
    {
        // A fixed-size input already has the right count: its getter serves unchanged.
        var vector = (VectorDataViewType)inputColumn.Type;
        return vector.IsKnownSize
            ? input.CreateGetter(inputColumn.Index)
            : (Delegate)typeof(ImageReshapingTransformer).GetMethod(nameof(CreateCountCheckingGetter), BindingFlags.NonPublic | BindingFlags.Instance)!
                .MakeGenericMethod(vector.ItemType.RawType)
                .Invoke(this, [input, inputColumn])!;
    }

    private ValueGetter<ReadOnlyMemory<TItem>> CreateCountCheckingGetter<TItem>(RowReader input, DataViewSchema.Column inputColumn)
    {
        var getter = input.GetGetter<ReadOnlyMemory<TItem>>(inputColumn);
        var size = Height * Width * Channels;
        return (ref ReadOnlyMemory<TItem> value) =>
        {
            getter(ref value);
            if (value.Length != size)
            {
                throw new DataValueException(inputColumn.Name, input.Row, $"the vector has {value.Length} values, but reshaping to [{Height}, {Width}, {Channels}] needs {size}.");
            }
        };
    }
}
