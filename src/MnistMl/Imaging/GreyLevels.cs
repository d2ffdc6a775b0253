namespace MnistMl.Imaging;

/// <summary>
/// The conversions every decoder shares: colour to grey by ITU-R BT.601 luma
/// (Y = 0.299 R + 0.587 G + 0.114 B, the weights of JPEG's and MNIST-era video's Y), transparency
/// laid over white paper, and samples of any bit depth rescaled to 0–255 with rounding.
/// </summary>
internal static class GreyLevels
{
    /// <summary>BT.601 luma of a colour, in the samples' own scale (8- or 16-bit), rounded.</summary>
    public static int Luma(int red, int green, int blue) => ((299 * red) + (587 * green) + (114 * blue) + 500) / 1000;

    /// <summary>
    /// A sample of <paramref name="grey"/> with opacity <paramref name="alpha"/> (both 0–<paramref name="max"/>)
    /// laid over white: <c>grey·α + max·(1 − α)</c>, in the same scale, rounded.
    /// </summary>
    public static int OverWhite(int grey, int alpha, int max) =>
        (int)((((long)grey * alpha) + ((long)max * (max - alpha)) + (max / 2)) / max);

    /// <summary>A sample of 0–<paramref name="max"/> rescaled to 0–255, rounded (1-bit 1 → 255, 2-bit 1 → 85, 16-bit 65535 → 255).</summary>
    public static byte ToByte(int sample, int max) => (byte)((((long)sample * 255) + (max / 2)) / max);
}
