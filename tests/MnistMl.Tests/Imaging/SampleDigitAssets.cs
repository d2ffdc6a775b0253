using MnistMl.Imaging;
using MnistMl.Tests.Data;

namespace MnistMl.Tests.Imaging;

/// <summary>
/// The generator of <c>assets/digits/*.png</c>: MNIST test digits enlarged five times (140 × 140)
/// by bilinear interpolation and inverted to black ink on white, like a drawing or a scan.
/// <see cref="SampleDigitAssetsTests"/> checks the committed files against it; run those tests with
/// <c>MNISTML_WRITE_ASSETS=1</c> to write the files again.
/// </summary>
internal static class SampleDigitAssets
{
    public const string WriteVariable = "MNISTML_WRITE_ASSETS";

    /// <summary>The files and the MNIST test image each is made from.</summary>
    public static IReadOnlyList<(string FileName, int TestIndex, int Digit)> All { get; } =
    [
        ("seven.png", 0, 7),
        ("two.png", 1, 2),
        ("one.png", 2, 1),
        ("zero.png", 3, 0),
        ("four.png", 4, 4),
    ];

    /// <summary><c>assets/digits</c> of the checkout the tests run from.</summary>
    public static string Folder
    {
        get
        {
            for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "MnistMl.sln")))
                {
                    return Path.Combine(folder.FullName, "assets", "digits");
                }
            }

            throw new InvalidOperationException($"No MnistMl.sln above {AppContext.BaseDirectory}: the tests must run from a checkout.");
        }
    }

    public static GrayImage Render(int testIndex) => PhotoLikeDigit.EnlargeInverted(MnistTestData.Test.GetImage(testIndex), factor: 5);
}
