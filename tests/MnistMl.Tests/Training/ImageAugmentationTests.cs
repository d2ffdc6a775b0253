using MnistMl.Nn;
using MnistMl.Nn.Kernels;
using MnistMl.Tests.Nn;
using MnistMl.Training;

namespace MnistMl.Tests.Training;

/// <summary>
/// Augmentation as every kernel is tested: the sampler and the elastic smoothing against plain
/// double-precision references written from the definitions, exact cases (identity, a one-pixel
/// shift), and training with it bit-identical for any thread count and across a resume.
/// </summary>
public sealed class ImageAugmentationTests
{
    private static readonly ImageAugmentation Everything = new() { RotationRange = 15, WidthShiftRange = 0.1, HeightShiftRange = 0.1, ZoomRange = 0.1, ShearRange = 10, ElasticAlpha = 8, ElasticSigma = 3 };

    [Theory]
    [InlineData(nameof(ImageAugmentation.RotationRange), 181)]
    [InlineData(nameof(ImageAugmentation.WidthShiftRange), 1)]
    [InlineData(nameof(ImageAugmentation.HeightShiftRange), -0.1)]
    [InlineData(nameof(ImageAugmentation.ZoomRange), double.NaN)]
    [InlineData(nameof(ImageAugmentation.ShearRange), 90)]
    [InlineData(nameof(ImageAugmentation.ElasticSigma), 0)]
    public void A_range_out_of_bounds_is_refused_by_name(string name, double value)
    {
        var settings = name switch
        {
            nameof(ImageAugmentation.RotationRange) => new ImageAugmentation { RotationRange = value },
            nameof(ImageAugmentation.WidthShiftRange) => new ImageAugmentation { WidthShiftRange = value },
            nameof(ImageAugmentation.HeightShiftRange) => new ImageAugmentation { HeightShiftRange = value },
            nameof(ImageAugmentation.ZoomRange) => new ImageAugmentation { ZoomRange = value },
            nameof(ImageAugmentation.ShearRange) => new ImageAugmentation { ShearRange = value },
            _ => new ImageAugmentation { ElasticSigma = value },
        };

        var error = Assert.Throws<ArgumentOutOfRangeException>(settings.Validate);

        Assert.Equal(name, error.ParamName);
    }

    [Fact]
    public void The_inverse_map_undoes_the_transform_written_from_its_definition()
    {
        var random = new Random(7);
        for (var trial = 0; trial < 200; trial++)
        {
            var (rotation, shiftX, shiftY) = ((random.NextDouble() * 360) - 180, (random.NextDouble() * 10) - 5, (random.NextDouble() * 10) - 5);
            var (zoom, shear) = (0.5 + random.NextDouble(), (random.NextDouble() * 120) - 60);
            var inverse = AugmentationJob.Inverse(rotation, shiftX, shiftY, zoom, shear, 28, 20);
            var (x, y) = (random.NextDouble() * 20, random.NextDouble() * 28);

            var (outX, outY) = Forward(rotation, shiftX, shiftY, zoom, shear, (20 - 1) / 2.0, (28 - 1) / 2.0, x, y);
            var (backX, backY) = inverse.Map(outX, outY);

            Assert.Equal(x, backX, 1e-9);
            Assert.Equal(y, backY, 1e-9);
        }
    }

    [Fact]
    public void The_sampler_matches_a_double_precision_bilinear_reference()
    {
        var random = new Random(11);
        for (var trial = 0; trial < 50; trial++)
        {
            var (height, width, channels) = (random.Next(5, 30), random.Next(5, 30), random.Next(1, 4));
            var image = Enumerable.Range(0, height * width * channels).Select(_ => (float)random.NextDouble()).ToArray();
            var inverse = AugmentationJob.Inverse((random.NextDouble() * 60) - 30, (random.NextDouble() * 6) - 3, (random.NextDouble() * 6) - 3, 0.8 + (random.NextDouble() * 0.4), (random.NextDouble() * 30) - 15, height, width);
            var field = Enumerable.Range(0, 2 * height * width).Select(_ => (float)((random.NextDouble() * 4) - 2)).ToArray();
            var warped = new float[image.Length];

            AugmentationJob.Warp(image, warped, height, width, channels, inverse, field);

            for (var v = 0; v < height; v++)
            {
                for (var u = 0; u < width; u++)
                {
                    var (x, y) = inverse.Map(u + (double)field[(v * width) + u], v + (double)field[(height * width) + (v * width) + u]);
                    for (var c = 0; c < channels; c++)
                    {
                        Assert.Equal(ReferenceBilinear(image, height, width, channels, x, y, c), warped[(((v * width) + u) * channels) + c], 1e-5);
                    }
                }
            }
        }
    }

    [Fact]
    public void No_distortion_leaves_an_image_as_it_is_and_a_one_pixel_shift_moves_it_exactly()
    {
        var image = Enumerable.Range(0, 6 * 7).Select(i => (float)i).ToArray();
        var same = new float[image.Length];
        var shifted = new float[image.Length];

        AugmentationJob.Warp(image, same, 6, 7, 1, AugmentationJob.Inverse(0, 0, 0, 1, 0, 6, 7), default);
        AugmentationJob.Warp(image, shifted, 6, 7, 1, AugmentationJob.Inverse(0, 1, 0, 1, 0, 6, 7), default);

        Assert.Equal(image, same);
        for (var y = 0; y < 6; y++)
        {
            Assert.Equal(0f, shifted[y * 7]);
            Assert.Equal(image.AsSpan(y * 7, 6).ToArray(), shifted.AsSpan((y * 7) + 1, 6).ToArray());
        }
    }

    [Fact]
    public void The_elastic_field_is_smoothed_as_a_two_dimensional_gaussian_would_smooth_it()
    {
        var (height, width, sigma, alpha) = (17, 13, 2.5, 6f);
        var random = new Random(5);
        var raw = Enumerable.Range(0, 2 * height * width).Select(_ => (float)((2 * random.NextDouble()) - 1)).ToArray();
        var taps = AugmentationJob.GaussianTaps(sigma);
        var smoothed = raw.ToArray();

        AugmentationJob.SmoothField(smoothed, height, width, taps, alpha);

        var radius = taps.Length / 2;
        Assert.Equal(1.0, taps.Sum(t => (double)t), 1e-6);
        for (var p = 0; p < 2; p++)
        {
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    double sum = 0;
                    for (var dy = -radius; dy <= radius; dy++)
                    {
                        for (var dx = -radius; dx <= radius; dx++)
                        {
                            var (xi, yi) = (x + dx, y + dy);
                            if (xi >= 0 && yi >= 0 && xi < width && yi < height)
                            {
                                sum += (double)taps[dx + radius] * taps[dy + radius] * raw[(p * height * width) + (yi * width) + xi];
                            }
                        }
                    }

                    Assert.Equal(alpha * sum, smoothed[(p * height * width) + (y * width) + x], 1e-5);
                }
            }
        }
    }

    [Fact]
    public void Training_with_augmentation_is_bit_identical_for_1_2_and_8_threads_and_differs_from_training_without()
    {
        var (x, y) = SyntheticData.Quadrants(200);
        byte[] Train(int threads, ImageAugmentation? augmentation)
        {
            var saved = WorkerPool.MaxThreads;
            WorkerPool.MaxThreads = threads;
            try
            {
                var model = SyntheticData.SmallCnn(seed: 3);
                model.Compile(new Adam(), Losses.CategoricalCrossentropy, Metric.Accuracy);
                model.Fit(new TensorSampleSource(x, y), new FitOptions { Epochs = 2, BatchSize = 32, Augmentation = augmentation });
                return [.. model.WeightTable().SelectMany(t => t.Values.SelectMany(BitConverter.GetBytes))];
            }
            finally
            {
                WorkerPool.MaxThreads = saved;
            }
        }

        var one = Train(1, Everything);

        Assert.Equal(one, Train(2, Everything));
        Assert.Equal(one, Train(8, Everything));
        Assert.NotEqual(one, Train(2, null));
        Assert.Equal(Train(1, null), Train(1, new ImageAugmentation()));   // nothing asked for: nothing drawn
    }

    [Fact]
    public void A_model_whose_input_is_not_an_image_cannot_be_augmented()
    {
        var model = new Sequential(Layers.Input(10), Layers.Dense(2, Activation.Softmax));
        model.Compile(new Adam(), Losses.CategoricalCrossentropy);
        var x = new Tensor([4, 10], new float[40]);
        var y = new Tensor([4, 2], [1, 0, 0, 1, 1, 0, 0, 1]);

        var error = Assert.Throws<ArgumentException>(() => model.Fit(new TensorSampleSource(x, y), new FitOptions { Augmentation = new ImageAugmentation { RotationRange = 5 } }));

        Assert.StartsWith("Augmentation distorts images, but model 'sequential' takes inputs of shape (10)", error.Message, StringComparison.Ordinal);
    }

    /// <summary>out = c + t + R(θ)·[[1, −sin s], [0, cos s]]·z·(in − c).</summary>
    private static (double X, double Y) Forward(double rotation, double shiftX, double shiftY, double zoom, double shear, double cx, double cy, double x, double y)
    {
        var (theta, s) = (rotation * Math.PI / 180, shear * Math.PI / 180);
        var (px, py) = (zoom * (x - cx), zoom * (y - cy));
        var (sx, sy) = (px - (Math.Sin(s) * py), Math.Cos(s) * py);
        return (cx + shiftX + (Math.Cos(theta) * sx) - (Math.Sin(theta) * sy), cy + shiftY + (Math.Sin(theta) * sx) + (Math.Cos(theta) * sy));
    }

    private static double ReferenceBilinear(float[] image, int height, int width, int channels, double x, double y, int c)
    {
        double Value(int xi, int yi) => xi < 0 || yi < 0 || xi >= width || yi >= height ? 0 : image[(((yi * width) + xi) * channels) + c];
        var (x0, y0) = ((int)Math.Floor(x), (int)Math.Floor(y));
        var (fx, fy) = (x - x0, y - y0);
        return ((1 - fx) * (1 - fy) * Value(x0, y0)) + (fx * (1 - fy) * Value(x0 + 1, y0)) + ((1 - fx) * fy * Value(x0, y0 + 1)) + (fx * fy * Value(x0 + 1, y0 + 1));
    }
}
