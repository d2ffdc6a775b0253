using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using MnistMl.Data;
using MnistMl.Nn;
using MnistMl.Tests.Data;
using MnistMl.Trainers;
using MnistMl.Training;
using MnistMl.Transforms;
using NumberDataViewType = Microsoft.ML.Data.NumberDataViewType;
using VectorDataViewType = Microsoft.ML.Data.VectorDataViewType;

namespace MnistMl.Tests.Trainers;

/// <summary>The trainer inside real ML.NET pipelines; one small dnn fit shared by the tests.</summary>
public sealed class KerasCnnTrainerTests : IClassFixture<KerasCnnTrainerTests.Fitted>
{
    private readonly Fitted _fitted;

    public KerasCnnTrainerTests(Fitted fitted)
    {
        _fitted = fitted;
    }

    [Fact]
    public void Fit_that_diverges_throws_instead_of_returning_a_model_of_NaNs()
    {
        var ml = new MLContext(seed: 1);
        var checkpoint = new ModelCheckpoint(Path.Combine(Path.GetTempPath(), $"never-{Guid.NewGuid():N}.weights"));
        var trainer = ml.MulticlassClassification.Trainers.KerasCnn(new KerasCnnTrainer.Options { Preset = "dnn", Epochs = 2, LearningRate = 1e30, Seed = 1, Callbacks = { checkpoint } });

        var error = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(ml.Data.LoadMnist(Fitted.TrainData)));

        Assert.Equal((0, 1e30), (error.Epoch, error.LearningRate));
        Assert.False(double.IsFinite(error.Loss));
        Assert.Null(checkpoint.LastSavedPath);
    }

    [Fact]
    public void Fit_gives_the_same_weights_bit_for_bit_as_Sequential_Fit()
    {
        var reference = ModelPreset.Dnn.CreateModel(Fitted.Seed);
        reference.Fit(new MnistSampleSource(Fitted.TrainData, oneHotTargets: false), ModelPreset.Dnn.CreateFitOptions(1));

        var ours = _fitted.Trainer.Model.WeightTable();
        var theirs = reference.WeightTable();

        Assert.Equal(theirs.Select(t => t.Name), ours.Select(t => t.Name));
        for (var i = 0; i < ours.Count; i++)
        {
            Assert.Equal(theirs[i].Values, ours[i].Values);
        }
    }

    [Fact]
    public void One_thread_trains_the_same_weights_bit_for_bit_and_the_worker_count_is_put_back()
    {
        var ml = new MLContext(seed: 0);
        var before = MnistMl.Nn.Kernels.WorkerPool.MaxThreads;
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Append(ml.MulticlassClassification.Trainers.KerasCnn(new KerasCnnTrainer.Options { Preset = "dnn", Epochs = 1, Seed = Fitted.Seed, Threads = 1 }));

        var trained = pipeline.Fit(ml.Data.LoadMnist(Fitted.TrainData));

        Assert.Equal(_fitted.Trainer.Model.WeightsSha256(), trained.LastTransformer.Model.WeightsSha256());
        Assert.Equal(before, MnistMl.Nn.Kernels.WorkerPool.MaxThreads);
        Assert.Throws<ArgumentOutOfRangeException>(() => new KerasCnnTrainer.Options { Threads = 0 });
    }

    [Fact]
    public void MLNet_Evaluate_gives_exactly_the_engine_own_accuracy()
    {
        var ml = new MLContext(seed: 0);

        var metrics = ml.MulticlassClassification.Evaluate(_fitted.Pipeline.Transform(ml.Data.LoadMnist(Fitted.TestData)));
        var own = _fitted.Trainer.Model.Evaluate(new MnistSampleSource(Fitted.TestData, oneHotTargets: false));

        Assert.Equal(own.Accuracy, metrics.MicroAccuracy, 12);
        Assert.InRange(metrics.MicroAccuracy, 0.5, 1.0); // a 1-epoch dnn on 2,700 images; chance is 0.1
    }

    [Fact]
    public void Scores_are_the_engine_probabilities_with_slot_i_for_digit_i()
    {
        var ml = new MLContext(seed: 0);

        var rows = ml.Data.CreateEnumerable<Scored>(_fitted.Pipeline.Transform(ml.Data.LoadMnist(Fitted.TestData)), reuseRowObject: false).Take(200).ToList();
        var x = Images(Fitted.TestData, 200);
        var expected = _fitted.Trainer.Model.Predict(x);

        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(expected.Sample(i).ToArray(), rows[i].Score);
            Assert.Equal((uint)Metric.ArgMax<float>(expected.Sample(i)) + 1, rows[i].PredictedLabel);
        }
    }

    [Fact]
    public void PredictionEngine_predicts_from_a_plain_class_of_grey_levels()
    {
        var ml = new MLContext(seed: 0);
        var engine = ml.Model.CreatePredictionEngine<Digit, Scored>(_fitted.Pipeline);

        var prediction = engine.Predict(new Digit { Image = Fitted.TestData.GetImage(0).ToArray() });

        var expected = _fitted.Trainer.Model.Predict(Images(Fitted.TestData, 1));
        Assert.Equal(expected.Sample(0).ToArray(), prediction.Score);
        Assert.Equal((uint)Metric.ArgMax<float>(expected.Sample(0)) + 1, prediction.PredictedLabel);
    }

    [Fact]
    public void Saved_zip_loads_as_MLNet_own_transformers_and_agrees_within_1e_5()
    {
        using var folder = new TempFolder();
        var ml = new MLContext(seed: 0) { TempFilePath = Directory.CreateDirectory(Path.Combine(folder.Path, "temp")).FullName };
        var path = Path.Combine(folder.Path, "mnist-mlnet.zip");
        var test = ml.Data.LoadMnist(Fitted.TestData);

        ml.Model.Save(_fitted.Pipeline, test.Schema, path);
        var loaded = ml.Model.Load(path, out _);
        var reloaded = ml.Data.CreateEnumerable<ScoredVector>(loaded.Transform(test), reuseRowObject: false).ToList();
        var inProcess = ml.Data.CreateEnumerable<Scored>(_fitted.Pipeline.Transform(test), reuseRowObject: false).ToList();
        (loaded as IDisposable)?.Dispose();

        Assert.DoesNotContain(Flatten(loaded), t => t.GetType().Assembly == typeof(KerasCnnTrainer).Assembly);
        Assert.Equal(inProcess.Count, reloaded.Count);
        for (var i = 0; i < inProcess.Count; i++)
        {
            Assert.Equal(inProcess[i].PredictedLabel, Assert.Single(reloaded[i].PredictedLabel));
            for (var j = 0; j < 10; j++)
            {
                Assert.InRange(Math.Abs(inProcess[i].Score[j] - reloaded[i].Score[j]), 0, 1e-5);
            }
        }
    }

    [Fact]
    public void Saved_zip_predicts_in_an_app_that_references_only_MLNet_and_agrees_on_10000_images()
    {
        using var folder = new TempFolder();
        var ml = new MLContext(seed: 0);
        var test = ml.Data.LoadMnist(MnistTestData.Test);
        var zip = Path.Combine(folder.Path, "mnist-mlnet.zip");
        ml.Model.Save(_fitted.Pipeline, test.Schema, zip);
        var pixels = folder.Write("pixels.bin", MnistTestData.Test.Images.ToArray());
        var scores = Path.Combine(folder.Path, "scores.txt");
        var temp = Directory.CreateDirectory(Path.Combine(folder.Path, "temp")).FullName;

        var (exitCode, output) = RunConsumer("images", zip, pixels, scores, temp);

        Assert.True(exitCode == 0, output);
        var theirs = File.ReadAllLines(scores).Select(line => line.Split(' ').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray()).ToList();
        var ours = ml.Data.CreateEnumerable<Scored>(_fitted.Pipeline.Transform(test), reuseRowObject: false).ToList();
        Assert.Equal(10_000, theirs.Count);
        for (var i = 0; i < ours.Count; i++)
        {
            Assert.Equal(ours[i].PredictedLabel - 1, theirs[i][0]);
            for (var j = 0; j < 10; j++)
            {
                Assert.InRange(Math.Abs(ours[i].Score[j] - theirs[i][j + 1]), 0, 1e-5);
            }
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(temp));
    }

    [Fact]
    public void Inside_a_pipeline_from_a_csv_file_it_fits_saves_with_the_loader_and_predicts_in_a_new_process()
    {
        using var folder = new TempFolder();
        var rows = Enumerable.Range(0, 600).Select(i => string.Join(',', Fitted.TrainData.GetImage(i).ToArray().Select(b => b.ToString(System.Globalization.CultureInfo.InvariantCulture)).Prepend(Fitted.TrainData.Labels.Span[i].ToString(System.Globalization.CultureInfo.InvariantCulture))));
        var csv = folder.Write("digits.csv", System.Text.Encoding.ASCII.GetBytes(string.Join('\n', rows) + "\n"));
        var ml = new MLContext(seed: 0);
        var loader = ml.Data.CreateTextLoader(new TextLoader.Options
        {
            Separators = [','],
            Columns = [new TextLoader.Column("Digit", DataKind.Int32, 0), new TextLoader.Column("Image", DataKind.Byte, 1, 784)],
        });
        var pipeline = ml.Transforms.Conversion.ConvertType("Label", "Digit", DataKind.Single)
            .Append(ml.MulticlassClassification.Trainers.KerasCnn(new KerasCnnTrainer.Options { Preset = "dnn", Epochs = 1, Seed = 2 }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("Digit", "PredictedLabel"))
            .Append(ml.Transforms.CopyColumns("Probabilities", "Score"));
        var data = loader.Load(csv);
        var model = pipeline.Fit(data);
        var zip = Path.Combine(folder.Path, "csv-pipeline.zip");
        ml.Model.Save(model, loader, zip);
        var ours = ml.Data.CreateEnumerable<CsvScored>(model.Transform(data), reuseRowObject: false).ToList();
        var predictions = Path.Combine(folder.Path, "digits.txt");

        var (exitCode, output) = RunConsumer("csv", zip, csv, predictions, Directory.CreateDirectory(Path.Combine(folder.Path, "temp")).FullName);

        Assert.True(exitCode == 0, output);
        var theirs = File.ReadAllLines(predictions).Select(line => line.Split(' ').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray()).ToList();
        Assert.Equal(600, theirs.Count);
        for (var i = 0; i < ours.Count; i++)
        {
            Assert.Equal(ours[i].Digit, theirs[i][0]);
            Assert.Equal(Metric.ArgMax<float>(ours[i].Probabilities), (int)ours[i].Digit);
            for (var j = 0; j < 10; j++)
            {
                Assert.InRange(Math.Abs(ours[i].Score[j] - theirs[i][j + 1]), 0, 1e-5);
            }
        }
    }

    [Fact]
    public void Label_keys_in_order_of_appearance_are_refused_with_the_fix_named()
    {
        var ml = new MLContext(seed: 0);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.KerasCnn(new KerasCnnTrainer.Options { Preset = "dnn", Epochs = 1 }));

        var error = Assert.Throws<SchemaMismatchException>(() => pipeline.Fit(ml.Data.LoadMnist(MnistTestData.Slice(Fitted.TrainData, 0, 200))));

        Assert.Equal("Label", error.ColumnName);
        Assert.Contains("KeyOrdinality.ByValue", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Features_of_the_wrong_type_name_the_column_and_both_types()
    {
        var ml = new MLContext(seed: 0);
        var data = ml.Data.LoadFromEnumerable([new TextFeatures { Label = 1, Image = "seven" }]);

        var error = Assert.Throws<SchemaMismatchException>(() => ml.MulticlassClassification.Trainers.KerasCnn(new KerasCnnTrainer.Options { Preset = "dnn" }).Fit(data));

        Assert.Equal("Image", error.ColumnName);
        Assert.Contains("Byte or Single vector of 784", error.Message, StringComparison.Ordinal);
        Assert.Contains("String", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_feature_that_is_not_finite_names_its_row_and_slot()
    {
        var ml = new MLContext(seed: 0);
        var pixels = new float[784];
        pixels[100] = float.NaN;
        var data = ml.Data.LoadFromEnumerable([new FloatDigit { Label = 1, Image = new float[784] }, new FloatDigit { Label = 2, Image = pixels }]);

        var error = Assert.Throws<DataValueException>(() => ml.MulticlassClassification.Trainers.KerasCnn(new KerasCnnTrainer.Options { Preset = "dnn", Epochs = 1 }).Fit(data));

        Assert.Equal(("Image", 1L), (error.ColumnName, error.Row));
        Assert.Contains("Row 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("slot 100", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Output_schema_adds_a_score_vector_and_a_key_label_carrying_the_label_values()
    {
        var ml = new MLContext(seed: 0);

        var schema = _fitted.Pipeline.GetOutputSchema(ml.Data.LoadMnist(Fitted.TestData).Schema);

        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 10), schema["Score"].Type);
        Assert.Equal(new KeyDataViewType(typeof(uint), 10), schema["PredictedLabel"].Type);
        VBuffer<byte> values = default;
        schema["PredictedLabel"].GetKeyValues(ref values);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (byte)i), values.DenseValues());
    }

    [Fact]
    public void Estimator_output_shape_names_the_two_added_columns()
    {
        var ml = new MLContext(seed: 0);
        var estimator = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Append(ml.MulticlassClassification.Trainers.KerasCnn());

        var shape = estimator.GetOutputSchema(ShapeOf(ml.Data.LoadMnist(Fitted.TestData).Schema));

        var score = shape.Single(c => c.Name == "Score");
        var predicted = shape.Single(c => c.Name == "PredictedLabel");
        Assert.Equal(SchemaShape.Column.VectorKind.Vector, score.Kind);
        Assert.Equal(NumberDataViewType.Single, score.ItemType);
        Assert.True(predicted.IsKey);
        Assert.Equal(SchemaShape.Column.VectorKind.Scalar, predicted.Kind);
    }

    /// <summary>Builds (when needed) and runs samples/MlNetConsumer, which references ML.NET's packages and not MnistMl.</summary>
    private static (int ExitCode, string Output) RunConsumer(params string[] args) =>
        ChildProcess.DotnetRun(Path.Combine(ChildProcess.RepositoryRoot(), "samples", "MlNetConsumer"), args, timeoutMinutes: 5);

    /// <summary>ML.NET makes a schema's shape internally only (SchemaShape.Create is internal).</summary>
    private static SchemaShape ShapeOf(Microsoft.ML.DataViewSchema schema) =>
        (SchemaShape)typeof(SchemaShape).GetMethod("Create", System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic)!.Invoke(null, [schema])!;

    private static Tensor Images(MnistDataset data, int count)
    {
        var values = new float[count * data.PixelsPerImage];
        for (var i = 0; i < count; i++)
        {
            PixelScaling.UnitRange.Apply(data.GetImage(i), values.AsSpan(i * data.PixelsPerImage, data.PixelsPerImage));
        }

        return Tensor.FromArray(values, count, data.Rows, data.Columns, 1);
    }

    private static IEnumerable<ITransformer> Flatten(ITransformer transformer) =>
        transformer is IEnumerable<ITransformer> chain ? chain.SelectMany(Flatten) : [transformer];

    public sealed class Fitted
    {
        public const long Seed = 3;

        public static readonly MnistDataset TrainData = MnistTestData.Slice(MnistTestData.Train, 0, 3_000);

        public static readonly MnistDataset TestData = MnistTestData.Slice(MnistTestData.Test, 0, 1_000);

        public Fitted()
        {
            var ml = new MLContext(seed: 0);
            var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
                .Append(ml.MulticlassClassification.Trainers.KerasCnn(new KerasCnnTrainer.Options { Preset = "dnn", Epochs = 1, Seed = Seed }));
            Pipeline = pipeline.Fit(ml.Data.LoadMnist(TrainData));
            Trainer = Pipeline.LastTransformer;
        }

        public TransformerChain<KerasCnnTransformer> Pipeline { get; }

        public KerasCnnTransformer Trainer { get; }
    }

    private sealed class Digit
    {
        [VectorType(28, 28)]
        public byte[] Image { get; set; } = [];

        public byte Label { get; set; }
    }

    private sealed class Scored
    {
        public float[] Score { get; set; } = [];

        public uint PredictedLabel { get; set; }
    }

    private sealed class CsvScored
    {
        public float Digit { get; set; }

        public float[] Score { get; set; } = [];

        public float[] Probabilities { get; set; } = [];
    }

    private sealed class ScoredVector
    {
        public float[] Score { get; set; } = [];

        public uint[] PredictedLabel { get; set; } = [];
    }

    private sealed class FloatDigit
    {
        public float Label { get; set; }

        [VectorType(784)]
        public float[] Image { get; set; } = [];
    }

    private sealed class TextFeatures
    {
        public float Label { get; set; }

        public string Image { get; set; } = string.Empty;
    }
}
