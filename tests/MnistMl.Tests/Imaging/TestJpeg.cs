using MnistMl.Imaging;

namespace MnistMl.Tests.Imaging;

/// <summary>Writes JPEGs with the system's libjpeg-turbo, failing loudly when it is not installed.</summary>
internal static class TestJpeg
{
    public static byte[] Encode(GrayImage image, int quality) =>
        (TurboJpeg.Default ?? throw new InvalidOperationException(
            $"These tests need libjpeg-turbo's {TurboJpeg.LibraryName}: apt-get install {TurboJpeg.PackageName}.")).CompressGray(image, quality);
}
