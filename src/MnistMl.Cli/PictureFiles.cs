using MnistMl.Visualization;

namespace MnistMl.Cli;

/// <summary>
/// Saving the pictures commands draw, with the format taken from the file name: rasters as
/// <c>.svg</c> or <c>.png</c> (through the PNG encoder the tool was built with), charts as <c>.svg</c>.
/// Names are checked before any work starts, so a typo never costs a training run.
/// </summary>
internal static class PictureFiles
{
    /// <summary>Throws a usage error unless <paramref name="path"/> names a raster picture this build can write.</summary>
    public static void CheckRasterPath(string option, string path, IPngWriter? png)
    {
        if (IsSvg(path))
        {
            return;
        }

        if (!Path.GetExtension(path).Equals(".png", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"{option} {path}: name a .svg or .png file.");
        }

        if (png is null)
        {
            throw new ArgumentException($"{option} {path}: this build of mnistml has no PNG encoder; name a .svg file instead.");
        }
    }

    /// <summary>Throws a usage error unless <paramref name="path"/> names an SVG file (charts are drawn as SVG only).</summary>
    public static void CheckSvgPath(string option, string path)
    {
        if (!IsSvg(path))
        {
            throw new ArgumentException($"{option} {path}: charts are written as SVG; name a .svg file.");
        }
    }

    /// <summary>Saves <paramref name="image"/> as SVG or PNG by the extension of <paramref name="path"/>, checked with <see cref="CheckRasterPath"/>.</summary>
    public static void SaveRaster(RgbImage image, string path, IPngWriter? png, string label)
    {
        if (IsSvg(path))
        {
            image.SaveSvg(path, label);
        }
        else
        {
            image.SavePng(path, png!);
        }
    }

    private static bool IsSvg(string path) => Path.GetExtension(path).Equals(".svg", StringComparison.OrdinalIgnoreCase);
}
