using System.Globalization;
using System.Numerics.Tensors;

namespace MnistMl.Transforms;

/// <summary>
/// How grey levels become a network's input: <c>(x − Offset) / Divisor</c>, in float32. The
/// notebooks' <c>x / 255</c> is <see cref="UnitRange"/>; standardising uses the pixels' mean and
/// standard deviation.
/// </summary>
public sealed record PixelScaling
{
    /// <summary>Creates the scaling.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The offset is not finite, or the divisor not a positive finite number.</exception>
    public PixelScaling(float offset, float divisor)
    {
        if (!float.IsFinite(offset))
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, "The offset must be a finite number.");
        }

        if (!(float.IsFinite(divisor) && divisor >= MinDivisor))
        {
            throw new ArgumentOutOfRangeException(nameof(divisor), divisor, $"The divisor must be a finite number of at least {MinDivisor:R}.");
        }

        Offset = offset;
        Divisor = divisor;
    }

    /// <summary>The smallest divisor: below it, grey levels 0–255 become numbers no network was trained on (1e-45 turns them into infinities).</summary>
    public const float MinDivisor = 1e-6f;

    /// <summary>Grey levels to [0, 1]: <c>x / 255</c>, the scaling of every preset.</summary>
    public static PixelScaling UnitRange { get; } = new(0, 255);

    /// <summary>Subtracted from every pixel: 0, or the mean when standardising.</summary>
    public float Offset { get; }

    /// <summary>What pixels are then divided by: 255, or the standard deviation when standardising.</summary>
    public float Divisor { get; }

    /// <summary>Writes the scaled <paramref name="greyLevels"/> into the start of <paramref name="destination"/>.</summary>
    public void Apply(ReadOnlySpan<byte> greyLevels, Span<float> destination)
    {
        destination = destination[..greyLevels.Length];
        Widen(greyLevels, destination);
        Apply(destination);
    }

    /// <summary>Writes <paramref name="greyLevels"/> as floats into <paramref name="destination"/>, then applies each of <paramref name="scalings"/> in order.</summary>
    /// <exception cref="ArgumentException">The two have different lengths.</exception>
    public static void ApplyAll(IReadOnlyList<PixelScaling> scalings, ReadOnlySpan<byte> greyLevels, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(scalings);
        if (greyLevels.Length != destination.Length)
        {
            throw new ArgumentException($"{greyLevels.Length} grey levels do not fill {destination.Length} inputs.", nameof(greyLevels));
        }

        Widen(greyLevels, destination);
        foreach (var scaling in scalings)
        {
            scaling.Apply(destination);
        }
    }

    /// <summary>Scales <paramref name="values"/> in place.</summary>
    public void Apply(Span<float> values)
    {
        if (Offset != 0)
        {
            TensorPrimitives.Subtract(values, Offset, values);
        }

        // Divide rather than multiply by 1 / divisor: x / 255f is what Keras users compute, to the bit.
        TensorPrimitives.Divide(values, Divisor, values);
    }

    private static void Widen(ReadOnlySpan<byte> greyLevels, Span<float> destination)
    {
        for (var i = 0; i < greyLevels.Length; i++)
        {
            destination[i] = greyLevels[i];
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Offset == 0
        ? string.Create(CultureInfo.InvariantCulture, $"x / {Divisor:R}")
        : string.Create(CultureInfo.InvariantCulture, $"(x - {Offset:R}) / {Divisor:R}");
}
