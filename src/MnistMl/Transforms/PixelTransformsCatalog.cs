using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MnistMl.Transforms;

namespace MnistMl;

/// <summary>
/// The notebooks' pixel steps on ML.NET's transforms catalog: <c>ml.Transforms.ScalePixels(...)</c>
/// (<c>x / 255</c>, or any <see cref="PixelScaling"/>) and <c>ml.Transforms.StandardizePixels(...)</c>
/// (the pixels' own mean and standard deviation). Both are built from ML.NET's own transforms
/// (<c>ConvertType</c>, then <c>Expression</c> in float32, bit for bit what MnistMl's engine
/// computes), so a pipeline holding them saves into a zip that loads without MnistMl.
/// </summary>
/// <remarks>
/// ML.NET's <c>Expression</c> flattens a shaped vector: the scaled column is a Single vector of 784.
/// The trainer reads it in the network's input shape ([28, 28, 1]), which is what the notebooks'
/// reshape step does; ML.NET has no reshaping transform, and the shape of a vector is only its
/// type's metadata.
/// </remarks>
public static class PixelTransformsCatalog
{
    /// <summary>Grey levels (a Byte or Single vector) to <c>x / <paramref name="divisor"/></c> in Single.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The divisor is not a positive finite number.</exception>
    public static IEstimator<ITransformer> ScalePixels(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null, float divisor = 255f) =>
        ScalePixels(catalog, new PixelScaling(0, divisor), outputColumnName, inputColumnName);

    /// <summary>Grey levels (a Byte or Single vector) to <c>(x − offset) / divisor</c> in Single.</summary>
    public static IEstimator<ITransformer> ScalePixels(this TransformsCatalog catalog, PixelScaling scaling, string outputColumnName, string? inputColumnName = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        var ml = new MLContext();
        return ml.Transforms.Conversion.ConvertType(outputColumnName, inputColumnName ?? outputColumnName, DataKind.Single)
            .Append(ml.Transforms.Expression(outputColumnName, Expression(scaling), outputColumnName));
    }

    /// <summary>
    /// Grey levels to <c>(x − mean) / std</c>, with the mean and (population) standard deviation of
    /// all pixels of the rows it is fitted on, in Single.
    /// </summary>
    public static PixelStandardizingEstimator StandardizePixels(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        return new PixelStandardizingEstimator(outputColumnName, inputColumnName ?? outputColumnName);
    }

    /// <summary>ML.NET's expression language in float32: <c>f</c>-suffixed literals that round-trip.</summary>
    private static string Expression(PixelScaling scaling) => scaling.Offset == 0
        ? $"x => x / {Literal(scaling.Divisor)}"
        : $"x => (x - {Literal(scaling.Offset)}) / {Literal(scaling.Divisor)}";

    /// <summary>
    /// A float literal with no decimal point (33.31842 → <c>3331842e-5f</c>): ML.NET's expression
    /// lexer parses numbers in the current culture, where the point may be a comma.
    /// </summary>
    internal static string Literal(float value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        var e = text.IndexOfAny(['E', 'e']);
        var (mantissa, exponent) = e < 0 ? (text, 0) : (text[..e], int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        if (point >= 0)
        {
            exponent -= mantissa.Length - point - 1;
            mantissa = mantissa.Remove(point, 1);
        }

        return exponent == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{mantissa}f")
            : string.Create(CultureInfo.InvariantCulture, $"{mantissa}e{exponent}f");
    }
}
