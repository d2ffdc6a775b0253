using System.Diagnostics;
using MnistMl.Imaging;
using MnistMl.Tests.Data;
using MnistMl.Tests.Imaging;
using Xunit.Abstractions;

namespace MnistMl.Tests;

/// <summary>
/// The model that ships in the box (assets/pretrained, embedded in MnistMl.dll): it loads, it is
/// an ensemble of the accurate recipe, it reads the MNIST test set at 99.7 % or better, and it reads digits
/// photographed as ink on paper (noisy, off-centre, dark on light, JPEG and PNG) at 99 % or better.
/// </summary>
public sealed class PretrainedModelTests(ITestOutputHelper output)
{
    private static readonly Lazy<MnistModel> Pretrained = new(MnistModel.LoadPretrained);

    [Fact]
    public void The_pretrained_model_reads_the_MNIST_test_set_at_99_7_percent_or_better_as_its_manifest_says()
    {
        var model = Pretrained.Value;
        var metrics = model.Evaluate(MnistTestData.Test);

        output.WriteLine($"pretrained {model.Network.Name}: {metrics.MicroAccuracy:P2} on {MnistTestData.Test.Count:N0} test images");
        Assert.Equal("accurate_ensemble", model.Network.Name);
        Assert.True(metrics.MicroAccuracy >= 0.997, $"the pretrained model reads {metrics.MicroAccuracy:P2} of the test set");
        Assert.Equal(model.Metrics["testAccuracy"], metrics.MicroAccuracy, 12);
    }

    [Fact]
    public void The_pretrained_model_reads_photo_like_digits_at_99_percent_or_better()
    {
        const int count = 600;
        var model = Pretrained.Value;
        var test = MnistTestData.Test;
        var random = new Random(7);
        var clock = Stopwatch.StartNew();
        var right = 0;
        for (var i = 0; i < count; i++)
        {
            // Test images 5,000 on: none of them shaped the photo-like generator's settings.
            var index = 5000 + i;
            var photo = PhotoLikeDigit.Render(test.GetImage(index), random);
            var file = i % 2 == 0 ? SkiaTestEncoder.Encode(photo, quality: 85) : PngEncoder.Encode(photo);
            right += model.Predict(DigitImage.FromBytes(file)).Digit == test.Labels.Span[index] ? 1 : 0;
        }

        var accuracy = (double)right / count;
        output.WriteLine($"pretrained model on {count} photo-like digits (JPEG and PNG): {accuracy:P1} in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(accuracy >= 0.99, $"the pretrained model reads {accuracy:P1} of the photo-like digits");
    }

}
