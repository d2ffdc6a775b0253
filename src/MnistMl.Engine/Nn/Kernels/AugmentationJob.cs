using System.Buffers;
using MnistMl.Training;

namespace MnistMl.Nn.Kernels;

/// <summary>
/// Distorts a batch of images in place, one sample per parallel index (see
/// <see cref="ImageAugmentation"/>). A sample's random draws come from its own generator, keyed by
/// the run and the sample's position in the epoch, so which thread takes which sample never
/// changes a value. Each output pixel is sampled once, bilinearly, from the original image at the
/// point the inverse affine transform gives for the pixel moved by the elastic field.
/// </summary>
internal sealed class AugmentationJob : IParallelBody
{
    private readonly ImageAugmentation _settings;
    private readonly int _height;
    private readonly int _width;
    private readonly int _channels;
    private readonly ulong _key;
    private readonly float[] _gaussian;
    private float[] _features = [];
    private ulong _firstSample;

    /// <param name="settings">The distortions, validated.</param>
    /// <param name="height">Image height.</param>
    /// <param name="width">Image width.</param>
    /// <param name="channels">Channels, interleaved (height, width, channels): all get the same distortion.</param>
    /// <param name="key">The run's key: with the sample's position, it fixes the sample's distortion.</param>
    public AugmentationJob(ImageAugmentation settings, int height, int width, int channels, ulong key)
    {
        settings.Validate();
        (_settings, _height, _width, _channels, _key) = (settings, height, width, channels, key);
        _gaussian = settings.ElasticAlpha > 0 ? GaussianTaps(settings.ElasticSigma) : [];
    }

    /// <summary>Distorts the first <paramref name="count"/> samples of <paramref name="features"/>; sample i is the epoch's sample <paramref name="firstSample"/> + i.</summary>
    public void Apply(float[] features, int count, ulong firstSample)
    {
        (_features, _firstSample) = (features, firstSample);
        try
        {
            WorkerPool.Shared.Run(count, this);
        }
        finally
        {
            _features = [];
        }
    }

    public void Invoke(int index)
    {
        var size = _height * _width * _channels;
        var sample = _features.AsSpan(index * size, size);
        var random = new RandomSource(unchecked((long)_key), stream: _firstSample + (ulong)index);
        var inverse = Draw(random);
        var pool = ArrayPool<float>.Shared;
        var source = pool.Rent(size);
        var field = _gaussian.Length > 0 ? pool.Rent(2 * _height * _width) : null;
        try
        {
            sample.CopyTo(source);
            if (field is not null)
            {
                ElasticField(random, field.AsSpan(0, 2 * _height * _width));
            }

            Warp(source.AsSpan(0, size), sample, _height, _width, _channels, inverse, field is null ? default : field.AsSpan(0, 2 * _height * _width));
        }
        finally
        {
            pool.Return(source);
            if (field is not null)
            {
                pool.Return(field);
            }
        }
    }

    /// <summary>
    /// The map from output to input coordinates of out = c + t + R(θ)·Shear(s)·z·(in − c), c the
    /// image centre, pixel centres at whole coordinates.
    /// </summary>
    internal static InverseAffine Inverse(double rotationDegrees, double shiftX, double shiftY, double zoom, double shearDegrees, int height, int width)
    {
        var (sin, cos) = Math.SinCos(rotationDegrees * Math.PI / 180);
        var shear = shearDegrees * Math.PI / 180;

        // R · Shear, with Shear = [[1, −sin s], [0, cos s]] (Keras's), then the zoom.
        var (m00, m01) = (cos * zoom, ((-cos * Math.Sin(shear)) - (sin * Math.Cos(shear))) * zoom);
        var (m10, m11) = (sin * zoom, ((-sin * Math.Sin(shear)) + (cos * Math.Cos(shear))) * zoom);
        var determinant = (m00 * m11) - (m01 * m10);
        return new InverseAffine(
            m11 / determinant, -m01 / determinant, -m10 / determinant, m00 / determinant,
            (width - 1) / 2.0, (height - 1) / 2.0, shiftX, shiftY);
    }

    /// <summary>
    /// Samples <paramref name="source"/> bilinearly (0 outside) at the inverse transform of each
    /// output pixel, moved first by the elastic <paramref name="field"/> (dx then dy planes; empty for none).
    /// </summary>
    internal static void Warp(ReadOnlySpan<float> source, Span<float> destination, int height, int width, int channels, InverseAffine inverse, ReadOnlySpan<float> field)
    {
        var plane = height * width;
        for (var v = 0; v < height; v++)
        {
            for (var u = 0; u < width; u++)
            {
                var (px, py) = field.IsEmpty ? (u, (double)v) : (u + field[(v * width) + u], v + (double)field[plane + (v * width) + u]);
                var (x, y) = inverse.Map(px, py);
                var (x0, y0) = ((int)Math.Floor(x), (int)Math.Floor(y));
                var (fx, fy) = ((float)(x - x0), (float)(y - y0));
                var target = ((v * width) + u) * channels;
                if (x0 >= 0 && y0 >= 0 && x0 < width - 1 && y0 < height - 1)
                {
                    // All four neighbours inside: no bounds to test, the common case.
                    var topLeft = ((y0 * width) + x0) * channels;
                    var bottomLeft = topLeft + (width * channels);
                    for (var c = 0; c < channels; c++)
                    {
                        var top = ((1 - fx) * source[topLeft + c]) + (fx * source[topLeft + channels + c]);
                        var bottom = ((1 - fx) * source[bottomLeft + c]) + (fx * source[bottomLeft + channels + c]);
                        destination[target + c] = ((1 - fy) * top) + (fy * bottom);
                    }
                }
                else if (x0 < -1 || y0 < -1 || x0 >= width || y0 >= height)
                {
                    destination.Slice(target, channels).Clear();   // wholly outside
                }
                else
                {
                    for (var c = 0; c < channels; c++)
                    {
                        var top = ((1 - fx) * At(source, x0, y0, c, height, width, channels)) + (fx * At(source, x0 + 1, y0, c, height, width, channels));
                        var bottom = ((1 - fx) * At(source, x0, y0 + 1, c, height, width, channels)) + (fx * At(source, x0 + 1, y0 + 1, c, height, width, channels));
                        destination[target + c] = ((1 - fy) * top) + (fy * bottom);
                    }
                }
            }
        }
    }

    /// <summary>A value of the (height, width, channels) image, 0 outside it.</summary>
    private static float At(ReadOnlySpan<float> image, int x, int y, int c, int height, int width, int channels) =>
        x >= 0 && y >= 0 && x < width && y < height ? image[(((y * width) + x) * channels) + c] : 0f;

    /// <summary>Simard's field: uniform displacements in [−1, 1], smoothed by the Gaussian (0 past the edges), times α.</summary>
    internal static void SmoothField(Span<float> field, int height, int width, ReadOnlySpan<float> taps, float alpha)
    {
        var plane = height * width;
        var scratch = ArrayPool<float>.Shared.Rent(plane);
        try
        {
            for (var p = 0; p < 2; p++)
            {
                var values = field.Slice(p * plane, plane);
                Convolve(values, scratch, height, width, taps, alongRows: true);
                Convolve(scratch, values, height, width, taps, alongRows: false);
                foreach (ref var value in values)
                {
                    value *= alpha;
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    /// <summary>The normalised taps of a Gaussian of standard deviation <paramref name="sigma"/>, cut at 3σ.</summary>
    internal static float[] GaussianTaps(double sigma)
    {
        var radius = (int)Math.Ceiling(3 * sigma);
        var taps = new double[(2 * radius) + 1];
        for (var i = -radius; i <= radius; i++)
        {
            taps[i + radius] = Math.Exp(-(i * i) / (2 * sigma * sigma));
        }

        var sum = taps.Sum();
        return [.. taps.Select(t => (float)(t / sum))];
    }

    private static void Convolve(ReadOnlySpan<float> input, Span<float> output, int height, int width, ReadOnlySpan<float> taps, bool alongRows)
    {
        var radius = taps.Length / 2;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var sum = 0f;
                for (var k = -radius; k <= radius; k++)
                {
                    var (xi, yi) = alongRows ? (x + k, y) : (x, y + k);
                    if (xi >= 0 && yi >= 0 && xi < width && yi < height)
                    {
                        sum += taps[k + radius] * input[(yi * width) + xi];
                    }
                }

                output[(y * width) + x] = sum;
            }
        }
    }

    /// <summary>The sample's transform: rotation, shifts, zoom and shear, drawn in that order (each even when its range is 0, so the draws never shift).</summary>
    private InverseAffine Draw(RandomSource random)
    {
        double Uniform(double range) => ((2 * random.NextDouble()) - 1) * range;
        var rotation = Uniform(_settings.RotationRange);
        var shiftX = Uniform(_settings.WidthShiftRange) * _width;
        var shiftY = Uniform(_settings.HeightShiftRange) * _height;
        var zoom = 1 + Uniform(_settings.ZoomRange);
        var shear = Uniform(_settings.ShearRange);
        return Inverse(rotation, shiftX, shiftY, zoom, shear, _height, _width);
    }

    private void ElasticField(RandomSource random, Span<float> field)
    {
        for (var i = 0; i < field.Length; i++)
        {
            field[i] = (2 * random.NextSingle()) - 1;
        }

        SmoothField(field, _height, _width, _gaussian, (float)_settings.ElasticAlpha);
    }

    /// <summary>in = c + A·(out − c − t), A the inverse of the transform's matrix.</summary>
    internal readonly record struct InverseAffine(double A00, double A01, double A10, double A11, double CenterX, double CenterY, double ShiftX, double ShiftY)
    {
        public (double X, double Y) Map(double x, double y)
        {
            var (dx, dy) = (x - CenterX - ShiftX, y - CenterY - ShiftY);
            return (CenterX + (A00 * dx) + (A01 * dy), CenterY + (A10 * dx) + (A11 * dy));
        }
    }
}
