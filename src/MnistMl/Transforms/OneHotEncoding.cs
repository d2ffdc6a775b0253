using MnistMl.Data;

namespace MnistMl.Transforms;

/// <summary>
/// Estimates one-hot encoding: an integer class label <c>k</c> becomes a Single vector
/// <c>[classCount]</c> with 1 at index <c>k</c> and 0 elsewhere — Keras's <c>to_categorical</c>,
/// the target of a categorical cross-entropy loss. A label outside 0 … classCount − 1 is an error
/// when its row is read.
/// </summary>
public sealed class OneHotEncodingEstimator : TrivialEstimator<OneHotEncodingTransformer>
{
    internal OneHotEncodingEstimator(Options options)
        : base(new OneHotEncodingTransformer(options))
    {
    }

    /// <summary>The label column and the number of classes.</summary>
    public sealed class Options
    {
        /// <summary>The column to read: an integer scalar.</summary>
        public string InputColumnName { get; set; } = Defaults.ColumnName;

        /// <summary>The column to write; null to replace the input column.</summary>
        public string? OutputColumnName { get; set; }

        /// <summary>Number of classes: the length of the output vector.</summary>
        public int ClassCount { get; set; } = Defaults.ClassCount;

        /// <summary>The defaults of the options.</summary>
        public static class Defaults
        {
            /// <summary>The MNIST label column.</summary>
            public const string ColumnName = MnistColumnNames.Label;

            /// <summary>Ten digits.</summary>
            public const int ClassCount = 10;
        }
    }
}

/// <summary>Encodes an integer label as a one-hot Single vector <c>[ClassCount]</c>. Made by <see cref="TrivialEstimator{TTransformer}.Fit"/> of <see cref="OneHotEncodingEstimator"/>.</summary>
public sealed class OneHotEncodingTransformer : OneToOneColumnTransformer
{
    internal OneHotEncodingTransformer(OneHotEncodingEstimator.Options options)
        : base(options.InputColumnName, options.OutputColumnName)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ClassCount, 1, nameof(options));
        ClassCount = options.ClassCount;
    }

    /// <summary>Number of classes: the length of the output vector.</summary>
    public int ClassCount { get; }

    private protected override DataViewType GetOutputType(DataViewSchema.Column input) =>
        ColumnValueReaders.IsIntegerScalar(input.Type)
            ? new VectorDataViewType(NumberDataViewType.Single, ClassCount)
            : throw SchemaMismatchException.WrongType(input, $"an integer scalar ({ColumnValueReaders.IntegerTypeNames})", "one-hot encoding");

    private protected override Delegate CreateGetter(RowReader input, DataViewSchema.Column inputColumn)
    {
        var label = ColumnValueReaders.CreateInt64Getter(input, inputColumn);
        var encoded = new float[ClassCount];
        var previous = 0L;
        return (ValueGetter<ReadOnlyMemory<float>>)((ref ReadOnlyMemory<float> value) =>
        {
            var k = label();
            if ((ulong)k >= (ulong)encoded.Length)
            {
                throw new DataValueException(inputColumn.Name, input.Row, $"label {k} is not a class in 0–{encoded.Length - 1}.");
            }

            // The buffer is reused: clearing the previous row's 1 is cheaper than clearing all of it.
            encoded[previous] = 0;
            encoded[k] = 1;
            previous = k;
            value = encoded;
        });
    }
}
