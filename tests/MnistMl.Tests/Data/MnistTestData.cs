namespace MnistMl.Tests.Data;

/// <summary>
/// The real MNIST files, found through <c>MNISTML_DATA</c> only. A missing variable fails the
/// test that needs it, loudly: tests on the real data must never pass by not running.
/// </summary>
internal static class MnistTestData
{
    public const string Variable = "MNISTML_DATA";

    public static string Folder
    {
        get
        {
            var folder = Environment.GetEnvironmentVariable(Variable);
            if (string.IsNullOrWhiteSpace(folder) || !Directory.Exists(folder))
            {
                throw new InvalidOperationException(
                    $"{Variable} must name the folder with the four MNIST files (e.g. {Variable}=../shared/mnist); it is '{folder}'.");
            }

            return Path.GetFullPath(folder);
        }
    }

    private static readonly Lazy<MnistMl.Data.MnistDataset> TrainSet = new(() => MnistMl.Data.MnistDataset.Load(Folder, MnistMl.Data.MnistSplit.Train));
    private static readonly Lazy<MnistMl.Data.MnistDataset> TestSet = new(() => MnistMl.Data.MnistDataset.Load(Folder, MnistMl.Data.MnistSplit.Test));

    /// <summary>The real training split, loaded once per test run.</summary>
    public static MnistMl.Data.MnistDataset Train => TrainSet.Value;

    /// <summary>The real test split, loaded once per test run.</summary>
    public static MnistMl.Data.MnistDataset Test => TestSet.Value;

    /// <summary>A copy of <paramref name="count"/> images of <paramref name="data"/> from <paramref name="start"/>, as its own dataset.</summary>
    public static MnistMl.Data.MnistDataset Slice(MnistMl.Data.MnistDataset data, int start, int count) => new(
        data.Images.Span.Slice(start * data.PixelsPerImage, count * data.PixelsPerImage).ToArray(),
        data.Labels.Span.Slice(start, count).ToArray(),
        data.Rows,
        data.Columns);

    /// <summary>The bytes of one file as it is stored, e.g. <c>t10k-labels-idx1-ubyte.gz</c>.</summary>
    public static byte[] ReadFile(string fileName) => File.ReadAllBytes(Path.Combine(Folder, fileName));
}
