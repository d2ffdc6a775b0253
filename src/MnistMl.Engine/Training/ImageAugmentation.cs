namespace MnistMl.Training;

/// <summary>
/// Random distortions of the training images, drawn afresh for every sample of every batch, in the
/// manner of Keras's <c>ImageDataGenerator</c> (the training set itself is never copied or changed):
/// a random affine transform — rotation, shift, zoom, shear — sampled bilinearly around the image
/// centre, optionally followed by an elastic distortion (Simard et al., 2003). Pixels taken from
/// outside the image are 0, the background of scaled MNIST.
/// <para>
/// Each sample's distortion is a pure function of the model's seed, the epoch and the sample's
/// position in the epoch, so a run stays bit-identical for any thread count, and a resumed run
/// draws what the uninterrupted one would have (the settings travel in the training state, and a
/// resume with other settings is refused). Validation and evaluation data are never distorted.
/// </para>
/// <para>
/// Where it differs from Keras: the shear slants columns (x moves with y, as italics do), one
/// zoom factor scales both axes, and a zoom above 1 enlarges the digit (Keras draws the two axes
/// apart, applies them from output to input, so above 1 shrinks, and shears along the other axis).
/// </para>
/// <code>
/// var options = new FitOptions { Epochs = 15, Augmentation = new ImageAugmentation { RotationRange = 10, ZoomRange = 0.1, WidthShiftRange = 0.1, HeightShiftRange = 0.1 } };
/// </code>
/// </summary>
public sealed record ImageAugmentation
{
    /// <summary>Largest rotation either way, in degrees (Keras's <c>rotation_range</c>), 0–180. Default 0.</summary>
    public double RotationRange { get; init; }

    /// <summary>Largest horizontal shift either way, as a fraction of the width (Keras's <c>width_shift_range</c>), in [0, 1). Default 0.</summary>
    public double WidthShiftRange { get; init; }

    /// <summary>Largest vertical shift either way, as a fraction of the height (Keras's <c>height_shift_range</c>), in [0, 1). Default 0.</summary>
    public double HeightShiftRange { get; init; }

    /// <summary>Zoom drawn from [1 − z, 1 + z], the same for both axes (Keras's <c>zoom_range</c> as one number), z in [0, 1). Default 0.</summary>
    public double ZoomRange { get; init; }

    /// <summary>Largest shear angle either way, in degrees (Keras's <c>shear_range</c>), in [0, 90). Default 0.</summary>
    public double ShearRange { get; init; }

    /// <summary>Strength of the elastic distortion, in pixels of displacement before smoothing (Simard's α; 34 for 28 × 28 digits in the paper); 0 for none. Default 0.</summary>
    public double ElasticAlpha { get; init; }

    /// <summary>Smoothness of the elastic distortion: the standard deviation, in pixels, of the Gaussian that smooths the displacement field (Simard's σ, 4 in the paper), in (0, 16]. Default 4.</summary>
    public double ElasticSigma { get; init; } = 4;

    /// <summary>Whether any distortion is asked for.</summary>
    public bool IsActive => RotationRange > 0 || WidthShiftRange > 0 || HeightShiftRange > 0 || ZoomRange > 0 || ShearRange > 0 || ElasticAlpha > 0;

    /// <summary>Checks every range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A range is negative, not finite, or past its limit, naming it.</exception>
    public void Validate()
    {
        Check(RotationRange, nameof(RotationRange), 180, inclusive: true);
        Check(WidthShiftRange, nameof(WidthShiftRange), 1, inclusive: false);
        Check(HeightShiftRange, nameof(HeightShiftRange), 1, inclusive: false);
        Check(ZoomRange, nameof(ZoomRange), 1, inclusive: false);
        Check(ShearRange, nameof(ShearRange), 90, inclusive: false);
        Check(ElasticAlpha, nameof(ElasticAlpha), 1000, inclusive: true);
        if (!(ElasticSigma > 0 && ElasticSigma <= 16))
        {
            throw new ArgumentOutOfRangeException(nameof(ElasticSigma), ElasticSigma, "ElasticSigma must be in (0, 16] pixels.");
        }
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"rotation ±{RotationRange}°, shift ±{WidthShiftRange} × ±{HeightShiftRange}, zoom ±{ZoomRange}, shear ±{ShearRange}°{(ElasticAlpha > 0 ? $", elastic α {ElasticAlpha} σ {ElasticSigma}" : string.Empty)}");

    private static void Check(double value, string name, double limit, bool inclusive)
    {
        if (!(value >= 0 && (inclusive ? value <= limit : value < limit)))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, {limit}{(inclusive ? "]" : ")")}.");
        }
    }
}
