using MnistMl.Imaging;

namespace MnistMl.Tests.Imaging;

public class SampleDigitAssetsTests
{
    [Fact]
    public void Sample_digit_assets_hold_what_their_generator_makes()
    {
        var write = Environment.GetEnvironmentVariable(SampleDigitAssets.WriteVariable) == "1";
        foreach (var (fileName, testIndex, _) in SampleDigitAssets.All)
        {
            var path = Path.Combine(SampleDigitAssets.Folder, fileName);
            var expected = SampleDigitAssets.Render(testIndex);
            if (write)
            {
                Directory.CreateDirectory(SampleDigitAssets.Folder);
                File.WriteAllBytes(path, PngEncoder.Encode(expected));
            }

            Assert.True(File.Exists(path), $"{path} is missing: run this test with {SampleDigitAssets.WriteVariable}=1 to write it.");
            var committed = ImageDecoder.Decode(path);
            Assert.Equal((expected.Width, expected.Height), (committed.Width, committed.Height));
            Assert.Equal(expected.Pixels, committed.Pixels);
        }
    }

    [Fact]
    public void Sample_digit_assets_are_recognised_by_a_trained_model()
    {
        foreach (var (fileName, _, digit) in SampleDigitAssets.All)
        {
            var prediction = TrainedDigitModel.Model.Predict(DigitImage.FromFile(Path.Combine(SampleDigitAssets.Folder, fileName)));

            Assert.True(prediction.Digit == digit, $"{fileName}: predicted {prediction.Digit} ({prediction.Probability:P1}), expected {digit}");
        }
    }
}
