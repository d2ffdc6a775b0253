using Microsoft.ML;
using Microsoft.ML.Data;
using MnistMl.Imaging;
using MnistMl.Tests.Data;
using MnistMl.Tests.Trainers;

namespace MnistMl.Tests.Transforms;

public sealed class DigitImageTransformsCatalogTests(KerasCnnTrainerTests.Fitted fitted) : IClassFixture<KerasCnnTrainerTests.Fitted>, IDisposable
{
    private const int Count = 50;
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Png_files_through_ML_NET_image_transforms_give_the_grey_levels_and_the_model_predicts_from_them_before_and_after_saving()
    {
        var files = Enumerable.Range(0, Count).Select(i => new ImageFile
        {
            Path = Path.GetFileName(_folder.Write($"digit-{i}.png", PngEncoder.Encode(new GrayImage(28, 28, KerasCnnTrainerTests.Fitted.TestData.GetImage(i).ToArray())))),
        }).ToArray();
        var ml = new MLContext(seed: 0) { TempFilePath = Directory.CreateDirectory(Path.Combine(_folder.Path, "temp")).FullName };
        var data = ml.Data.LoadFromEnumerable(files);

        var model = ml.Transforms.LoadDigitImages("Image", _folder.Path, nameof(ImageFile.Path)).Fit(data).Append(fitted.Trainer);
        var scored = ml.Data.CreateEnumerable<Scored>(model.Transform(data), reuseRowObject: false).ToList();
        var zip = Path.Combine(_folder.Path, "images.zip");
        ml.Model.Save(model, data.Schema, zip);
        var loaded = ml.Model.Load(zip, out _);
        var reloaded = ml.Data.CreateEnumerable<Scored>(loaded.Transform(data), reuseRowObject: false).ToList();
        (loaded as IDisposable)?.Dispose();

        var expected = MnistModel.FromTransformer(fitted.Trainer);
        for (var i = 0; i < Count; i++)
        {
            var image = KerasCnnTrainerTests.Fitted.TestData.GetImage(i).ToArray();
            Assert.Equal(image, scored[i].Image);
            Assert.Equal(expected.Predict(image).Scores, scored[i].Score);
            Assert.All(scored[i].Score.Zip(reloaded[i].Score), p => Assert.InRange(Math.Abs(p.First - p.Second), 0, 1e-5));
        }
    }

    [Fact]
    public void PredictionEngine_takes_a_plain_class_holding_an_image_path()
    {
        var path = _folder.Write("seven.png", PngEncoder.Encode(new GrayImage(28, 28, KerasCnnTrainerTests.Fitted.TestData.GetImage(0).ToArray())));
        var ml = new MLContext(seed: 0);
        var model = ml.Transforms.LoadDigitImages("Image", imageFolder: null, nameof(ImageFile.Path))
            .Fit(ml.Data.LoadFromEnumerable(Array.Empty<ImageFile>()))
            .Append(fitted.Trainer);
        var engine = ml.Model.CreatePredictionEngine<ImageFile, Scored>(model);

        var prediction = engine.Predict(new ImageFile { Path = path });

        Assert.Equal(MnistModel.FromTransformer(fitted.Trainer).Predict(KerasCnnTrainerTests.Fitted.TestData.GetImage(0)).Scores, prediction.Score);
    }

    private sealed class ImageFile
    {
        public string Path { get; set; } = string.Empty;
    }

    private sealed class Scored
    {
        [VectorType(1, 28, 28)]
        public byte[] Image { get; set; } = [];

        public float[] Score { get; set; } = [];
    }
}
