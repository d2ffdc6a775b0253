using System.CommandLine;
using MnistMl.Training;

namespace MnistMl.Cli;

/// <summary>The augmentation options of <c>train</c>, named after Keras's <c>ImageDataGenerator</c> arguments.</summary>
internal sealed class AugmentationOptions
{
    private readonly Option<double?> _rotation = CliOptions.Number("--rotation", "Augment: rotate each training image by up to this many degrees either way (0–180).", r => r is >= 0 and <= 180, "degrees from 0 to 180");
    private readonly Option<double?> _shift = CliOptions.Number("--shift", "Augment: shift each training image by up to this fraction of its width and height either way.", f => f is >= 0 and < 1, "a fraction from 0 up to (not including) 1");
    private readonly Option<double?> _zoom = CliOptions.Number("--zoom", "Augment: scale each training image by a factor from 1 − z to 1 + z.", z => z is >= 0 and < 1, "a fraction from 0 up to (not including) 1");
    private readonly Option<double?> _shear = CliOptions.Number("--shear", "Augment: shear each training image by up to this many degrees either way.", s => s is >= 0 and < 90, "degrees from 0 up to (not including) 90");
    private readonly Option<double?> _elastic = CliOptions.Number("--elastic", "Augment: elastic distortion of this strength in pixels (Simard's alpha; 34 in the paper).", a => a is >= 0 and <= 1000, "a number of pixels from 0 to 1000");
    private readonly Option<double?> _elasticSigma = CliOptions.Number("--elastic-sigma", "Smoothness of --elastic: the Gaussian's standard deviation in pixels (default 4).", s => s is > 0 and <= 16, "a number of pixels above 0, at most 16");

    /// <summary>The options, to add to a command.</summary>
    public IEnumerable<Option> All => [_rotation, _shift, _zoom, _shear, _elastic, _elasticSigma];

    /// <summary>The augmentation asked for, or null when no option was given (no preset augments by itself).</summary>
    public ImageAugmentation? From(ParseResult parse)
    {
        if (All.All(option => parse.GetResult(option) is null))
        {
            return null;
        }

        var shift = parse.GetValue(_shift) ?? 0;
        return new ImageAugmentation
        {
            RotationRange = parse.GetValue(_rotation) ?? 0,
            WidthShiftRange = shift,
            HeightShiftRange = shift,
            ZoomRange = parse.GetValue(_zoom) ?? 0,
            ShearRange = parse.GetValue(_shear) ?? 0,
            ElasticAlpha = parse.GetValue(_elastic) ?? 0,
            ElasticSigma = parse.GetValue(_elasticSigma) ?? 4,
        };
    }
}
