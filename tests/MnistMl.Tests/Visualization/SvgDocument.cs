using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using MnistMl.Visualization;

namespace MnistMl.Tests.Visualization;

/// <summary>Reading back what the library writes as SVG: parsing it as XML, and repainting a raster's SVG pixel by pixel.</summary>
internal static partial class SvgDocument
{
    public static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    /// <summary>The root element; parsing throws if the text is not well-formed XML.</summary>
    public static XElement Parse(string svg)
    {
        var root = XElement.Parse(svg);
        Assert.Equal(Svg + "svg", root.Name);
        return root;
    }

    public static double Number(XElement element, string attribute) =>
        double.Parse(element.Attribute(attribute)!.Value, CultureInfo.InvariantCulture);

    /// <summary>
    /// Paints what <see cref="RgbImage.ToSvg"/> wrote onto a new raster: the background rectangle
    /// first, then every <c>M x y h w v h h -w z</c> rectangle of every path in its fill colour.
    /// </summary>
    public static RgbImage Repaint(string svg)
    {
        var root = Parse(svg);
        var background = root.Element(Svg + "rect")!;
        var image = new RgbImage((int)Number(background, "width"), (int)Number(background, "height"), Color(background));
        foreach (var path in root.Elements(Svg + "path"))
        {
            var color = Color(path);
            foreach (Match m in RectanglePath().Matches(path.Attribute("d")!.Value))
            {
                int x = Int(m, 1), y = Int(m, 2), width = Int(m, 3), height = Int(m, 4);
                Assert.Equal(width, Int(m, 5));
                for (var row = y; row < y + height; row++)
                {
                    for (var column = x; column < x + width; column++)
                    {
                        image.SetPixel(column, row, color);
                    }
                }
            }

            Assert.Matches("^(M\\d+ \\d+h\\d+v\\d+h-\\d+z)+$", path.Attribute("d")!.Value);
        }

        return image;
    }

    private static RgbColor Color(XElement element)
    {
        var hex = element.Attribute("fill")!.Value;
        return new RgbColor(Convert.ToByte(hex[1..3], 16), Convert.ToByte(hex[3..5], 16), Convert.ToByte(hex[5..7], 16));
    }

    private static int Int(Match m, int group) => int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"M(\d+) (\d+)h(\d+)v(\d+)h-(\d+)z")]
    private static partial Regex RectanglePath();
}
