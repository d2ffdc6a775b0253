using MnistMl.Data;
using MnistMl.Imaging;

namespace MnistMl.Transforms;

/// <summary>
/// Estimates image loading: a String column of file paths becomes an <see cref="ImageDataViewType"/>
/// column of decoded pictures (<see cref="GrayImage"/>, any size; PNG, JPEG, GIF, WebP, BMP or PGM/PBM, see
/// <see cref="ImageDecoder"/>). Follow it with <c>NormalizeDigits</c> to get MNIST's Byte
/// <c>[28, 28]</c>. Files are read when a row is read, not when the view is built: a missing or
/// unreadable file surfaces then, as <see cref="FileNotFoundException"/> or
/// <see cref="ImageFormatException"/> naming it.
/// </summary>
public sealed class ImageLoadingEstimator : TrivialEstimator<ImageLoadingTransformer>
{
    internal ImageLoadingEstimator(Options options)
        : base(new ImageLoadingTransformer(options))
    {
    }

    /// <summary>The columns and where relative paths start.</summary>
    public sealed class Options
    {
        /// <summary>The column to read: String paths.</summary>
        public string InputColumnName { get; set; } = Defaults.InputColumnName;

        /// <summary>The column to write.</summary>
        public string OutputColumnName { get; set; } = Defaults.OutputColumnName;

        /// <summary>The folder relative paths are resolved against; null for the current directory.</summary>
        public string? ImageFolder { get; set; }

        /// <summary>The defaults of the options.</summary>
        public static class Defaults
        {
            /// <summary>The paths column, <c>ImagePath</c>.</summary>
            public const string InputColumnName = "ImagePath";

            /// <summary>The MNIST image column, <c>Image</c>.</summary>
            public const string OutputColumnName = MnistColumnNames.Image;
        }
    }
}

/// <summary>Decodes the image file each row names. Made by <see cref="TrivialEstimator{TTransformer}.Fit"/> of <see cref="ImageLoadingEstimator"/>.</summary>
public sealed class ImageLoadingTransformer : OneToOneColumnTransformer
{
    internal ImageLoadingTransformer(ImageLoadingEstimator.Options options)
        : base(options.InputColumnName, options.OutputColumnName)
    {
        ImageFolder = options.ImageFolder;
    }

    /// <summary>The folder relative paths are resolved against; null for the current directory.</summary>
    public string? ImageFolder { get; }

    private protected override DataViewType GetOutputType(DataViewSchema.Column input) =>
        input.Type.Equals(TextDataViewType.Instance)
            ? ImageDataViewType.Instance
            : throw SchemaMismatchException.WrongType(input, "String paths", "image loading");

    private protected override Delegate CreateGetter(RowReader input, DataViewSchema.Column inputColumn)
    {
        var getter = input.GetGetter<string>(inputColumn);
        var folder = ImageFolder;
        return (ValueGetter<GrayImage>)((ref GrayImage value) =>
        {
            string path = null!;
            getter(ref path);
            if (string.IsNullOrEmpty(path))
            {
                throw new DataValueException(inputColumn.Name, input.Row, "the path is empty.");
            }

            value = ImageDecoder.Decode(folder is null ? path : Path.Combine(folder, path));
        });
    }
}
