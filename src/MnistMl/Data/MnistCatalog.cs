using Microsoft.ML;
using DataFormatException = MnistMl.Data.DataFormatException;
using DataNotFoundException = MnistMl.Data.DataNotFoundException;
using IdxDataView = MnistMl.Data.IdxDataView;
using MnistDataOptions = MnistMl.Data.MnistDataOptions;
using MnistDataset = MnistMl.Data.MnistDataset;
using MnistSplit = MnistMl.Data.MnistSplit;

namespace MnistMl;

/// <summary>
/// MNIST for ML.NET: <c>ml.Data.LoadMnist(...)</c> and <c>ml.Data.LoadIdx(...)</c> give a lazy
/// <see cref="IDataView"/> with the columns <c>Label</c> (Byte, the class) and <c>Image</c> (Byte
/// vector of shape [28, 28]: grey levels, 0 = background, 255 = ink).
/// <code>
/// var ml = new MLContext(seed: 0);
/// IDataView train = ml.Data.LoadMnist(MnistSplit.Train);   // folder → MNISTML_DATA → cache → download
/// </code>
/// </summary>
public static class MnistCatalog
{
    /// <summary>
    /// One split of MNIST, found as <see cref="MnistDataset.Load(MnistSplit, MnistDataOptions?, CancellationToken)"/>
    /// finds it: <paramref name="folder"/> if given, else <c>MNISTML_DATA</c>, else the per-user
    /// cache, else a verified download. The files are read once; the view holds their bytes and a
    /// cursor copies one image at a time.
    /// </summary>
    /// <exception cref="DataNotFoundException">MNIST is nowhere and cannot be downloaded.</exception>
    /// <exception cref="DataFormatException">An MNIST file is damaged.</exception>
    public static IDataView LoadMnist(this DataOperationsCatalog catalog, MnistSplit split, string? folder = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new IdxDataView(MnistDataset.Load(split, new MnistDataOptions { DataFolder = folder }));
    }

    /// <summary>A dataset already in memory as a view over its own arrays (no copy).</summary>
    public static IDataView LoadMnist(this DataOperationsCatalog catalog, MnistDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new IdxDataView(dataset);
    }

    /// <summary>Any pair of IDX files (gzip or not) in MNIST's layout, e.g. Fashion-MNIST's.</summary>
    /// <exception cref="DataFormatException">A file is damaged, or the two disagree.</exception>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    public static IDataView LoadIdx(this DataOperationsCatalog catalog, string imagesPath, string labelsPath)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new IdxDataView(MnistDataset.LoadIdxPair(imagesPath, labelsPath));
    }
}
