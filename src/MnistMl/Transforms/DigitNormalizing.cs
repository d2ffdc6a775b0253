using MnistMl.Data;
using MnistMl.Imaging;

namespace MnistMl.Transforms;

/// <summary>
/// Estimates digit normalisation: an <see cref="ImageDataViewType"/> column of pictures of any
/// size becomes MNIST's Byte <c>[28, 28]</c>, exactly as <see cref="DigitImage.FromImage(GrayImage, bool)"/>
/// with <c>normalize: true</c> does it: pictures are inverted if dark on light, cropped to the ink,
/// scaled into 20 × 20 and centred by mass (<see cref="DigitNormalizer"/>); 28 × 28 pictures are
/// kept as they are, only inverted if dark on light (as the normaliser's polarity decides).
/// <code>
/// var pipeline = ml.Transforms.LoadImages(imageFolder: "photos")
///     .Append(ml.Transforms.NormalizeDigits());        // Image: Vector&lt;Byte, 28, 28&gt;
/// IDataView scored = model.Transform(pipeline.Fit(paths).Transform(paths));
/// </code>
/// </summary>
public sealed class DigitNormalizingEstimator : TrivialEstimator<DigitNormalizingTransformer>
{
    internal DigitNormalizingEstimator(Options options)
        : base(new DigitNormalizingTransformer(options))
    {
    }

    /// <summary>The columns and the normaliser's options.</summary>
    public sealed class Options
    {
        /// <summary>The column to read: pictures (<see cref="ImageDataViewType"/>).</summary>
        public string InputColumnName { get; set; } = Defaults.ColumnName;

        /// <summary>The column to write; null to replace the input column.</summary>
        public string? OutputColumnName { get; set; }

        /// <summary>How to normalise; <see cref="DigitNormalizer"/>'s defaults when null.</summary>
        public DigitNormalizer.Options? Normalizer { get; set; }

        /// <summary>The defaults of the options.</summary>
        public static class Defaults
        {
            /// <summary>The MNIST image column, <c>Image</c>.</summary>
            public const string ColumnName = MnistColumnNames.Image;
        }
    }
}

/// <summary>Makes each picture an MNIST-style Byte <c>[28, 28]</c>. Made by <see cref="TrivialEstimator{TTransformer}.Fit"/> of <see cref="DigitNormalizingEstimator"/>.</summary>
public sealed class DigitNormalizingTransformer : OneToOneColumnTransformer
{
    internal DigitNormalizingTransformer(DigitNormalizingEstimator.Options options)
        : base(options.InputColumnName, options.OutputColumnName)
    {
        Normalizer = new DigitNormalizer(options.Normalizer);
    }

    /// <summary>The normaliser applied to pictures that are not 28 × 28.</summary>
    public DigitNormalizer Normalizer { get; }

    private protected override DataViewType GetOutputType(DataViewSchema.Column input) =>
        input.Type.Equals(ImageDataViewType.Instance)
            ? new VectorDataViewType(NumberDataViewType.Byte, DigitImage.Size, DigitImage.Size)
            : throw SchemaMismatchException.WrongType(input, "Image (pictures, e.g. from LoadImages)", "digit normalisation");

    private protected override Delegate CreateGetter(RowReader input, DataViewSchema.Column inputColumn)
    {
        var getter = input.GetGetter<GrayImage>(inputColumn);
        var normalizer = Normalizer;
        return (ValueGetter<ReadOnlyMemory<byte>>)((ref ReadOnlyMemory<byte> value) =>
        {
            GrayImage image = null!;
            getter(ref image);
            value = DigitImage.FromImage(image, normalize: true, inputColumn.Name, normalizer).Image;
        });
    }
}
