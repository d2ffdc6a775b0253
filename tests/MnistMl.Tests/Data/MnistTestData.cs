using System.Reflection;

namespace MnistMl.Tests.Data;

/// <summary>
/// The real MNIST files, found through <c>MNISTML_DATA</c> only. A missing variable fails the
/// test that needs it, loudly: tests on the real data must never pass by not running. A relative
/// folder is taken from where <c>dotnet test</c> was typed (recorded at build time), since the
/// test host itself runs in the test project's <c>bin/</c> folder.
/// </summary>
internal static class MnistTestData
{
    public const string Variable = "MNISTML_DATA";

    private static readonly Lazy<string> ResolvedFolder = new(() => Resolve(Environment.GetEnvironmentVariable(Variable), InvocationDirectory));

    /// <summary>The folder where the test command was typed, as MSBuild saw it when it built the tests.</summary>
    public static string? InvocationDirectory => typeof(MnistTestData).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .SingleOrDefault(attribute => attribute.Key == "InvocationDirectory")?.Value;

    /// <summary>The absolute MNIST folder.</summary>
    public static string Folder => ResolvedFolder.Value;

    /// <summary>
    /// <paramref name="value"/> as an absolute folder: a relative one against
    /// <paramref name="invocationDirectory"/> (else the current directory). It must exist.
    /// </summary>
    internal static string Resolve(string? value, string? invocationDirectory)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException(
                $"{Variable} is not set: run the tests as the README says, e.g. {Variable}=../shared/mnist dotnet test MnistMl.sln -c Release, from the clone's top folder.");
        }

        var folder = Path.IsPathRooted(value) || string.IsNullOrEmpty(invocationDirectory)
            ? Path.GetFullPath(value)
            : Path.GetFullPath(value, invocationDirectory);
        if (!Directory.Exists(folder))
        {
            var relative = Path.IsPathRooted(value) ? string.Empty : $", relative to {invocationDirectory ?? Environment.CurrentDirectory} where the tests were started";
            throw new InvalidOperationException(
                $"{Variable}='{value}' names no folder ({folder}{relative}); it must name the folder with the four MNIST files.");
        }

        return folder;
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
