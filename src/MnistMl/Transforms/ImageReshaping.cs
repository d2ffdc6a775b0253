using System.Reflection;
using MnistMl.Data;

namespace MnistMl.Transforms;

/// <summary>
/// Estimates image reshaping: gives a vector the shape height × width × channels (e.g. MNIST's
/// <c>[28, 28]</c> → <c>[28, 28, 1]</c> for a convolutional network). The values and their order
/// are unchanged and not copied; only the declared shape changes, so the element count must match.
/// A vector whose size varies by row is checked row by row instead.
/// </summary>
public sealed class ImageReshapingEstimator : TrivialEstimator<ImageReshapingTransformer>
{
    internal ImageReshapingEstimator(Options options)
        : base(new ImageReshapingTransformer(options))
    {
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

/// <summary>Gives a vector the shape <c>[Height, Width, Channels]</c>. Made by <see cref="TrivialEstimator{TTransformer}.Fit"/> of <see cref="ImageReshapingEstimator"/>.</summary>
public sealed class ImageReshapingTransformer : OneToOneColumnTransformer
{
    internal ImageReshapingTransformer(ImageReshapingEstimator.Options options)
        : base(options.InputColumnName, options.OutputColumnName)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Height, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Width, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Channels, 1, nameof(options));
        Height = options.Height;
        Width = options.Width;
        Channels = options.Channels;
    }

    /// <summary>Rows of the image.</summary>
    public int Height { get; }

    /// <summary>Columns of the image.</summary>
    public int Width { get; }

    /// <summary>Values per pixel.</summary>
    public int Channels { get; }

    private protected override DataViewType GetOutputType(DataViewSchema.Column input)
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

    private protected override Delegate CreateGetter(RowReader input, DataViewSchema.Column inputColumn)
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
