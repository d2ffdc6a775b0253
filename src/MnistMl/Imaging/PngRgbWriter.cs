using MnistMl.Visualization;

namespace MnistMl.Imaging;

/// <summary>The <see cref="IPngWriter"/> the drawing code saves PNGs through (<c>explore --grid FILE.png</c>): <see cref="PngEncoder.EncodeRgb"/>.</summary>
internal sealed class PngRgbWriter : IPngWriter
{
    public static PngRgbWriter Instance { get; } = new();

    public void Write(Stream destination, int width, int height, ReadOnlySpan<byte> rgb)
    {
        ArgumentNullException.ThrowIfNull(destination);
        destination.Write(PngEncoder.EncodeRgb(width, height, rgb));
    }
}
