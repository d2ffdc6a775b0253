using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

// An app that loads ML.NET zips saved from MnistMl pipelines with ML.NET alone.
//   MlNetConsumer images MODEL.zip PIXELS.bin OUT.txt TEMP-FOLDER
//     PIXELS.bin holds 784 grey levels per image, predicted one at a time with a PredictionEngine.
//   MlNetConsumer csv MODEL.zip DATA.csv OUT.txt TEMP-FOLDER
//     the zip holds its text loader too (saved with MLContext.Model.Save(model, loader, path)); the
//     rows of DATA.csv go through the whole saved pipeline, which must give Digit and Score columns.
// OUT.txt gets, per row, the predicted digit and the ten probabilities. ML.NET copies the zip's
// ONNX model into TEMP-FOLDER while the model is loaded.
if (args.Length != 5 || args[0] is not ("images" or "csv"))
{
    Console.Error.WriteLine("usage: MlNetConsumer images|csv MODEL.zip INPUT OUT.txt TEMP-FOLDER");
    return 2;
}

var ml = new MLContext(seed: 0) { TempFilePath = args[4] };
using var output = new StreamWriter(args[3]);
ITransformer model;
if (args[0] == "images")
{
    model = ml.Model.Load(args[1], out var inputSchema);
    Console.WriteLine($"Loaded {args[1]}: input columns {string.Join(", ", inputSchema.Select(c => $"{c.Name} ({c.Type})"))}");
    var pixels = File.ReadAllBytes(args[2]);
    using var engine = ml.Model.CreatePredictionEngine<Digit, Prediction>(model);
    for (var offset = 0; offset + 784 <= pixels.Length; offset += 784)
    {
        var prediction = engine.Predict(new Digit { Image = pixels[offset..(offset + 784)] });
        Write(output, prediction.PredictedLabel[0] - 1, prediction.Score);
    }
}
else
{
    model = ml.Model.LoadWithDataLoader(args[1], out IDataLoader<IMultiStreamSource> loader);
    var scored = model.Transform(loader.Load(args[2]));
    var (digit, score) = (scored.Schema["Digit"], scored.Schema["Score"]);
    Console.WriteLine($"Loaded {args[1]} with its loader: Digit is {digit.Type}, Score is {score.Type}");
    using var cursor = scored.GetRowCursor([digit, score]);
    var readDigit = NumberReader(cursor, digit);
    var readScore = cursor.GetGetter<VBuffer<float>>(score);
    VBuffer<float> scores = default;
    while (cursor.MoveNext())
    {
        readScore(ref scores);
        Write(output, readDigit(), scores.DenseValues().ToArray());
    }
}

(model as IDisposable)?.Dispose();
return 0;

static void Write(StreamWriter output, double digit, float[] scores) =>
    output.WriteLine(string.Join(' ', scores.Select(s => s.ToString("R", CultureInfo.InvariantCulture)).Prepend(digit.ToString("R", CultureInfo.InvariantCulture))));

// A number column, or the single value of a one-element vector (what ONNX outputs become).
static Func<double> NumberReader(DataViewRow row, DataViewSchema.Column column)
{
    var item = column.Type is VectorDataViewType vector ? vector.ItemType : column.Type;
    return item.RawType switch
    {
        var t when t == typeof(float) => Reader<float>(row, column, v => v),
        var t when t == typeof(double) => Reader<double>(row, column, v => v),
        var t when t == typeof(long) => Reader<long>(row, column, v => v),
        var t when t == typeof(int) => Reader<int>(row, column, v => v),
        var t when t == typeof(byte) => Reader<byte>(row, column, v => v),
        _ => throw new InvalidOperationException($"Column {column.Name} is {column.Type}, not a number."),
    };
}

static Func<double> Reader<T>(DataViewRow row, DataViewSchema.Column column, Func<T, double> toDouble)
{
    if (column.Type is VectorDataViewType)
    {
        var getVector = row.GetGetter<VBuffer<T>>(column);
        VBuffer<T> vector = default;
        return () =>
        {
            getVector(ref vector);
            return toDouble(vector.DenseValues().Single());
        };
    }

    var get = row.GetGetter<T>(column);
    T value = default!;
    return () =>
    {
        get(ref value);
        return toDouble(value);
    };
}

/// <summary>The input the saved pipeline reads: the image, and the label its first step maps (unused in prediction).</summary>
internal sealed class Digit
{
    [VectorType(28, 28)]
    public byte[] Image { get; set; } = [];

    public byte Label { get; set; }
}

/// <summary>What the saved model gives: the ten probabilities, and the predicted class as a one-element key vector.</summary>
internal sealed class Prediction
{
    public float[] Score { get; set; } = [];

    public uint[] PredictedLabel { get; set; } = [];
}
