using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

// Usage: MlNetConsumer MODEL.zip PIXELS.bin SCORES.txt TEMP-FOLDER
// PIXELS.bin holds 784 grey levels per image; SCORES.txt gets, per image, the predicted digit and
// the ten probabilities. ML.NET copies the zip's ONNX model into TEMP-FOLDER while it is loaded.
if (args.Length != 4)
{
    Console.Error.WriteLine("usage: MlNetConsumer MODEL.zip PIXELS.bin SCORES.txt TEMP-FOLDER");
    return 2;
}

var ml = new MLContext(seed: 0) { TempFilePath = args[3] };
var model = ml.Model.Load(args[0], out var inputSchema);
Console.WriteLine($"Loaded {args[0]}: input columns {string.Join(", ", inputSchema.Select(c => $"{c.Name} ({c.Type})"))}");
var pixels = File.ReadAllBytes(args[1]);
using (var engine = ml.Model.CreatePredictionEngine<Digit, Prediction>(model))
using (var output = new StreamWriter(args[2]))
{
    for (var offset = 0; offset + 784 <= pixels.Length; offset += 784)
    {
        var prediction = engine.Predict(new Digit { Image = pixels[offset..(offset + 784)] });
        var digit = prediction.PredictedLabel[0] - 1;
        output.WriteLine(string.Join(' ', prediction.Score.Select(s => s.ToString("R", CultureInfo.InvariantCulture)).Prepend(digit.ToString(CultureInfo.InvariantCulture))));
    }
}

(model as IDisposable)?.Dispose();
return 0;

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
