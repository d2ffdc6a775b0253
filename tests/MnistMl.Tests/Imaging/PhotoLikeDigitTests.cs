using System.Diagnostics;
using MnistMl.Imaging;
using MnistMl.Tests.Data;
using Xunit.Abstractions;

namespace MnistMl.Tests.Imaging;

/// <summary>
/// The proof that normalisation works: MNIST test digits photographed (in effect) as dark ink on
/// paper, enlarged, off-centre, noisy, saved as JPEG and PNG, are recognised about as well as the
/// originals once normalised — and hardly at all when the picture is only resized.
/// </summary>
public class PhotoLikeDigitTests(ITestOutputHelper output)
{
    private const int Count = 300;

    [Fact]
    public void Normalizing_photo_like_digits_keeps_accuracy_near_that_on_the_originals()
    {
        var model = TrainedDigitModel.Model;
        var test = MnistTestData.Test;
        var clock = Stopwatch.StartNew();
        var random = new Random(2024);
        int original = 0, normalized = 0, resizedOnly = 0;
        for (var i = 0; i < Count; i++)
        {
            var label = test.Labels.Span[i];
            var photo = PhotoLikeDigit.Render(test.GetImage(i), random);
            var file = i % 2 == 0 ? SkiaTestEncoder.Encode(photo, quality: 85) : PngEncoder.Encode(photo);
            var picture = ImageDecoder.Decode(file);   // what DigitImage.FromBytes does; decoded once for both ways of reading it

            original += model.Predict(test.GetImage(i)).Digit == label ? 1 : 0;
            normalized += model.Predict(DigitImage.FromImage(picture)).Digit == label ? 1 : 0;
            resizedOnly += model.Predict(ResizedOnly(picture)).Digit == label ? 1 : 0;
        }

        var (originalAccuracy, normalizedAccuracy, resizedAccuracy) = ((double)original / Count, (double)normalized / Count, (double)resizedOnly / Count);
        output.WriteLine($"accuracy on {Count} digits: originals {originalAccuracy:P1}, photo-like normalised {normalizedAccuracy:P1}, photo-like resized only {resizedAccuracy:P1} ({clock.Elapsed.TotalSeconds:F1} s without training)");
        Assert.True(normalizedAccuracy >= originalAccuracy - 0.05, $"normalised {normalizedAccuracy:P1} is more than 5 points below the originals' {originalAccuracy:P1}");
        Assert.True(resizedAccuracy < 0.40, $"resized only {resizedAccuracy:P1}: the photo-like digits are too easy to prove anything");
    }

    /// <summary>What a model gets from a picture without normalisation: the whole page shrunk to 28 × 28.</summary>
    private static DigitImage ResizedOnly(GrayImage page)
    {
        var pixels = AreaResampler.Resize(page.Pixels, page.Width, page.Width, page.Height, DigitImage.Size, DigitImage.Size);
        return DigitImage.FromPixels(pixels);
    }
}
