using System.Globalization;
using System.Text;

namespace MnistMl.Visualization;

/// <summary>
/// Writes one SVG element: shapes and text appended in drawing order, numbers in the invariant
/// culture, text escaped. <see cref="ToString"/> closes the element. The result has no XML
/// declaration, so it can stand alone as a <c>.svg</c> file or sit inline in HTML.
/// </summary>
internal sealed class SvgBuilder
{
    private readonly StringBuilder _svg = new();
    private bool _startTagClosed;

    /// <summary>Starts an SVG drawn in user units 0…<paramref name="width"/> × 0…<paramref name="height"/>, shown at that size times <paramref name="zoom"/>.</summary>
    public SvgBuilder(double width, double height, string label, double zoom = 1)
    {
        _svg.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Number(width * zoom)}\" height=\"{Number(height * zoom)}\" viewBox=\"0 0 {Number(width)} {Number(height)}\" role=\"img\" aria-label=\"{Markup.Escape(label)}\"");
    }

    /// <summary>Adds raw attributes to the root element, e.g. <c>shape-rendering="crispEdges"</c>; call before drawing.</summary>
    public SvgBuilder RootAttributes(string attributes)
    {
        if (_startTagClosed)
        {
            throw new InvalidOperationException("Root attributes must come before the first shape.");
        }

        _svg.Append(' ').Append(attributes);
        return this;
    }

    public SvgBuilder Rect(double x, double y, double width, double height, RgbColor fill)
    {
        Open().Append(CultureInfo.InvariantCulture,
            $"<rect x=\"{Number(x)}\" y=\"{Number(y)}\" width=\"{Number(width)}\" height=\"{Number(height)}\" fill=\"{fill.ToHex()}\"/>");
        return this;
    }

    public SvgBuilder Line(double x1, double y1, double x2, double y2, RgbColor stroke, double strokeWidth = 1, string? dash = null)
    {
        Open().Append(CultureInfo.InvariantCulture,
            $"<line x1=\"{Number(x1)}\" y1=\"{Number(y1)}\" x2=\"{Number(x2)}\" y2=\"{Number(y2)}\" stroke=\"{stroke.ToHex()}\" stroke-width=\"{Number(strokeWidth)}\"{Dash(dash)}/>");
        return this;
    }

    public SvgBuilder Polyline(IEnumerable<(double X, double Y)> points, RgbColor stroke, double strokeWidth, string? dash = null)
    {
        var list = string.Join(' ', points.Select(p => $"{Number(p.X)},{Number(p.Y)}"));
        Open().Append(CultureInfo.InvariantCulture,
            $"<polyline points=\"{list}\" fill=\"none\" stroke=\"{stroke.ToHex()}\" stroke-width=\"{Number(strokeWidth)}\"{Dash(dash)}/>");
        return this;
    }

    /// <summary>A filled path, e.g. <c>M0 0h2v1h-2z</c> for a 2 × 1 rectangle.</summary>
    public SvgBuilder Path(string data, RgbColor fill)
    {
        Open().Append(CultureInfo.InvariantCulture, $"<path d=\"{data}\" fill=\"{fill.ToHex()}\"/>");
        return this;
    }

    public SvgBuilder Circle(double cx, double cy, double r, RgbColor fill)
    {
        Open().Append(CultureInfo.InvariantCulture, $"<circle cx=\"{Number(cx)}\" cy=\"{Number(cy)}\" r=\"{Number(r)}\" fill=\"{fill.ToHex()}\"/>");
        return this;
    }

    /// <summary>Text whose anchor (start, middle or end) is at (x, y), optionally rotated about that point.</summary>
    public SvgBuilder Text(double x, double y, string text, double size = 12, string anchor = "start", bool bold = false, double rotate = 0)
    {
        var weight = bold ? " font-weight=\"bold\"" : string.Empty;
        var transform = rotate == 0 ? string.Empty : $" transform=\"rotate({Number(rotate)} {Number(x)} {Number(y)})\"";
        Open().Append(CultureInfo.InvariantCulture,
            $"<text x=\"{Number(x)}\" y=\"{Number(y)}\" font-size=\"{Number(size)}\" text-anchor=\"{anchor}\"{weight}{transform}>{Markup.Escape(text)}</text>");
        return this;
    }

    /// <summary>Opens a group, e.g. <c>BeginGroup("class=\"series\"")</c>; close it with <see cref="EndGroup"/>.</summary>
    public SvgBuilder BeginGroup(string attributes)
    {
        Open().Append("<g ").Append(attributes).Append('>');
        return this;
    }

    public SvgBuilder EndGroup()
    {
        _svg.Append("</g>");
        return this;
    }

    /// <summary>The finished element.</summary>
    public override string ToString() => Open().ToString() + "</svg>";

    /// <summary>A number as SVG writes it: invariant culture, at most two decimals.</summary>
    public static string Number(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>The builder, after closing the root's start tag the first time something goes inside it.</summary>
    private StringBuilder Open()
    {
        if (!_startTagClosed)
        {
            _svg.Append('>');
            _startTagClosed = true;
        }

        return _svg;
    }

    private static string Dash(string? dash) => dash is null ? string.Empty : $" stroke-dasharray=\"{dash}\"";
}
