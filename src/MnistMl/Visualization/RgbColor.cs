using System.Globalization;

namespace MnistMl.Visualization;

/// <summary>A colour of 8-bit red, green and blue.</summary>
/// <param name="R">Red, 0–255.</param>
/// <param name="G">Green, 0–255.</param>
/// <param name="B">Blue, 0–255.</param>
public readonly record struct RgbColor(byte R, byte G, byte B)
{
    /// <summary>White, the paper of every picture.</summary>
    public static RgbColor White { get; } = new(255, 255, 255);

    /// <summary>The grey of a digit pixel: 0 (background) is white paper, 255 (ink) is black.</summary>
    public static RgbColor FromInk(byte ink) => new((byte)(255 - ink), (byte)(255 - ink), (byte)(255 - ink));

    /// <summary>The colour as CSS and SVG write it, e.g. <c>#1f77b4</c>.</summary>
    public string ToHex() => string.Create(CultureInfo.InvariantCulture, $"#{R:x2}{G:x2}{B:x2}");

    /// <summary>The colour <paramref name="fraction"/> of the way from <paramref name="from"/> to <paramref name="to"/> (clamped to 0–1).</summary>
    internal static RgbColor Blend(RgbColor from, RgbColor to, double fraction)
    {
        var t = Math.Clamp(fraction, 0, 1);
        return new(Mix(from.R, to.R, t), Mix(from.G, to.G, t), Mix(from.B, to.B, t));
    }

    private static byte Mix(byte a, byte b, double t) => (byte)Math.Round(a + ((b - a) * t));
}
