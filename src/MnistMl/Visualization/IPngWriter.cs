namespace MnistMl.Visualization;

/// <summary>
/// Encodes a raster as a PNG stream. The library draws pictures but does not encode PNG itself:
/// the image encoder (<c>MnistMl.Imaging</c>) implements this, and whoever saves a PNG passes it in.
/// </summary>
internal interface IPngWriter
{
    /// <summary>Writes a complete PNG file of <paramref name="width"/> × <paramref name="height"/> 8-bit RGB pixels to <paramref name="destination"/>.</summary>
    /// <param name="destination">The stream the file is written to; left open.</param>
    /// <param name="width">Pixels per row, at least 1.</param>
    /// <param name="height">Rows, at least 1.</param>
    /// <param name="rgb">Row-major pixels, three bytes (red, green, blue) each: <c>width × height × 3</c> bytes.</param>
    void Write(Stream destination, int width, int height, ReadOnlySpan<byte> rgb);
}
