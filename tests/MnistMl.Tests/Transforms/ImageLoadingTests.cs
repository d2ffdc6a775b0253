using MnistMl.Data;
using MnistMl.Imaging;
using MnistMl.Tests.Data;
using MnistMl.Tests.Imaging;

namespace MnistMl.Tests.Transforms;

public sealed class ImageLoadingTests : IDisposable
{
    private readonly MnistContext _ml = new();
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void LoadImages_then_NormalizeDigits_gives_28_by_28_byte_images_as_FromFile_does()
    {
        var paths = new[] { WriteBar("a.png", 10), WriteBar("b.png", 30) };
        var files = _ml.Data.LoadFromEnumerable(paths.Select(p => new ImageFile { ImagePath = p }).ToArray());

        var digits = _ml.Transforms.LoadImages().Append(_ml.Transforms.NormalizeDigits()).Fit(files).Transform(files);

        Assert.Equal("ImagePath: String, Image: Vector<Byte, 28, 28>", digits.Schema.ToString());
        Assert.Equal(paths.Select(p => DigitImage.FromFile(p).Image), SyntheticMnist.ReadVectors<byte>(digits, "Image"));
    }

    [Fact]
    public void A_model_scores_image_files_read_by_LoadImages_and_NormalizeDigits()
    {
        var files = _ml.Data.LoadFromEnumerable(SampleDigitAssets.All.Select(a => new ImageFile { ImagePath = a.FileName }).ToArray());
        var digits = _ml.Transforms.LoadImages(imageFolder: SampleDigitAssets.Folder).Append(_ml.Transforms.NormalizeDigits()).Fit(files).Transform(files);

        var scored = TrainedDigitModel.Model.Transform(digits);

        Assert.Equal(SampleDigitAssets.All.Select(a => a.Digit), SyntheticMnist.ReadColumn<int>(scored, "PredictedLabel"));
    }

    [Fact]
    public void LoadImages_gives_an_image_column_of_decoded_pictures()
    {
        var files = _ml.Data.LoadFromEnumerable(new[] { new ImageFile { ImagePath = WriteBar("a.png", 10) } });

        var pictures = _ml.Transforms.LoadImages().Fit(files).Transform(files);

        Assert.Equal(ImageDataViewType.Instance, pictures.Schema["Image"].Type);
        var image = Assert.Single(SyntheticMnist.ReadColumn<GrayImage>(pictures, "Image"));
        Assert.Equal((80, 60), (image.Width, image.Height));
    }

    [Fact]
    public void LoadImages_resolves_relative_paths_against_the_image_folder()
    {
        WriteBar("seven.png", 12);
        var files = _ml.Data.LoadFromEnumerable(new[] { new ImageFile { ImagePath = "seven.png" } });

        var digits = _ml.Transforms.LoadImages(imageFolder: _folder.Path).Append(_ml.Transforms.NormalizeDigits()).Fit(files).Transform(files);

        Assert.Equal(DigitImage.FromFile(Path.Combine(_folder.Path, "seven.png")).Image, Assert.Single(SyntheticMnist.ReadVectors<byte>(digits, "Image")));
    }

    [Fact]
    public void LoadImages_reports_an_unreadable_file_naming_it_when_its_row_is_read()
    {
        var broken = _folder.Write("broken.png", [0x89, 0x50, 0x4E, 0x47]);
        var files = _ml.Data.LoadFromEnumerable(new[] { new ImageFile { ImagePath = broken } });
        var pictures = _ml.Transforms.LoadImages().Fit(files).Transform(files);

        var error = Assert.Throws<ImageFormatException>(() => SyntheticMnist.ReadColumn<GrayImage>(pictures, "Image"));

        Assert.Equal(broken, error.ImageName);
    }

    [Fact]
    public void LoadImages_rejects_an_empty_path_naming_its_row()
    {
        var files = _ml.Data.LoadFromEnumerable(new[] { new ImageFile { ImagePath = WriteBar("a.png", 10) }, new ImageFile() });
        var pictures = _ml.Transforms.LoadImages().Fit(files).Transform(files);

        var error = Assert.Throws<DataValueException>(() => SyntheticMnist.ReadColumn<GrayImage>(pictures, "Image"));

        Assert.Equal("Row 1, column 'ImagePath': the path is empty.", error.Message);
    }

    [Fact]
    public void LoadImages_rejects_a_column_that_is_not_text()
    {
        var mnist = _ml.Data.LoadMnist(SyntheticMnist.Create(2));

        var error = Assert.Throws<SchemaMismatchException>(() => _ml.Transforms.LoadImages(inputColumnName: "Label").Fit(mnist));

        Assert.Equal("Column 'Label' has type Byte, but image loading needs String paths.", error.Message);
    }

    [Fact]
    public void NormalizeDigits_rejects_a_column_that_is_not_pictures()
    {
        var mnist = _ml.Data.LoadMnist(SyntheticMnist.Create(2, 28, 28));

        var error = Assert.Throws<SchemaMismatchException>(() => _ml.Transforms.NormalizeDigits().Fit(mnist));

        Assert.Equal("Column 'Image' has type Vector<Byte, 28, 28>, but digit normalisation needs Image (pictures, e.g. from LoadImages).", error.Message);
    }

    private string WriteBar(string name, int left)
    {
        var page = DigitNormalizerTests.Canvas(80, 60, paper: 240);
        DigitNormalizerTests.FillRectangle(page, left, 5, 8, 40, ink: 30);
        return _folder.Write(name, PngEncoder.Encode(page));
    }

    private sealed class ImageFile
    {
        public string ImagePath { get; set; } = "";
    }
}
