namespace MnistMl.Data;

/// <summary>Loading MNIST-format datasets from IDX files.</summary>
public sealed partial class MnistDataset
{
    private const int DigitClassCount = 10;

    /// <summary>
    /// Loads <paramref name="split"/> of MNIST, finding the files (or downloading them) as
    /// <see cref="MnistDataLocator"/> does with <paramref name="options"/>.
    /// </summary>
    /// <param name="split">Which split to load.</param>
    /// <param name="options">Where to look and whether to download; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels a download in progress, or the load once the files are read.</param>
    /// <returns>The split's images and labels.</returns>
    /// <exception cref="DataNotFoundException">The files are nowhere to be found and could not be downloaded.</exception>
    /// <exception cref="DataFormatException">A file is malformed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static MnistDataset Load(MnistSplit split, MnistDataOptions? options = null, CancellationToken cancellationToken = default)
    {
        var folder = MnistDataLocator.Locate(split, options, cancellationToken);
        var dataset = Load(folder, split);
        cancellationToken.ThrowIfCancellationRequested();
        return dataset;
    }

    /// <summary>
    /// Loads <paramref name="split"/> from the MNIST files in <paramref name="folder"/>:
    /// <c>train-images-idx3-ubyte</c> and <c>train-labels-idx1-ubyte</c>, or
    /// <c>t10k-images-idx3-ubyte</c> and <c>t10k-labels-idx1-ubyte</c>, each raw or gzip-compressed
    /// with a <c>.gz</c> suffix.
    /// </summary>
    /// <param name="folder">The folder that holds the files.</param>
    /// <param name="split">Which split to load.</param>
    /// <returns>The split's images and labels.</returns>
    /// <exception cref="DataNotFoundException">A file is missing from the folder.</exception>
    /// <exception cref="DataFormatException">A file is malformed or the two files disagree.</exception>
    public static MnistDataset Load(string folder, MnistSplit split)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        MnistFile[] files = [MnistFile.Images(split), MnistFile.Labels(split)];
        var paths = files.Select(f => f.FindIn(folder)).ToArray();
        if (paths[0] is not string imagesPath || paths[1] is not string labelsPath)
        {
            var missing = files.Where((_, i) => paths[i] is null).ToList();
            throw new DataNotFoundException(
                $"MNIST {split.ToString().ToLowerInvariant()} data not found in {folder}: missing {MnistFile.ListNames(missing)} (each may also end in .gz).",
                [folder]);
        }

        return LoadIdxPair(imagesPath, labelsPath);
    }

    /// <summary>
    /// Loads a dataset from an images file (<c>count × rows × columns</c> unsigned bytes) and a
    /// labels file (<c>count</c> digits 0–9), in the IDX format, raw or gzip-compressed.
    /// </summary>
    /// <param name="imagesPath">The 3-dimensional images file.</param>
    /// <param name="labelsPath">The 1-dimensional labels file.</param>
    /// <returns>The images and labels.</returns>
    /// <exception cref="DataNotFoundException">A file does not exist.</exception>
    /// <exception cref="DataFormatException">
    /// A file is malformed, has the wrong number of dimensions, the counts differ, or a label is not a digit.
    /// </exception>
    public static MnistDataset LoadIdxPair(string imagesPath, string labelsPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(imagesPath);
        ArgumentException.ThrowIfNullOrEmpty(labelsPath);

        var images = IdxReader.Read(imagesPath);
        if (images.Dimensions.Length != 3)
        {
            throw new DataFormatException(
                imagesPath, $"an images file must have 3 dimensions (count×rows×columns), but this one is {images.Shape}");
        }

        var labels = IdxReader.Read(labelsPath);
        if (labels.Dimensions.Length != 1)
        {
            throw new DataFormatException(labelsPath, $"a labels file must have 1 dimension (count), but this one is {labels.Shape}");
        }

        if (labels.Data.Length != images.Dimensions[0])
        {
            throw new DataFormatException(
                labelsPath, $"it holds {labels.Data.Length} labels but {imagesPath} holds {images.Dimensions[0]} images");
        }

        var bad = labels.Data.AsSpan().IndexOfAnyExceptInRange((byte)0, (byte)(DigitClassCount - 1));
        if (bad >= 0)
        {
            throw new DataFormatException(labelsPath, $"label {labels.Data[bad]} at index {bad} is outside 0–9");
        }

        return new MnistDataset(images.Data, labels.Data, images.Dimensions[1], images.Dimensions[2], DigitClassCount);
    }
}
