using Microsoft.ML;
using Microsoft.ML.Data;
using MnistMl.Data;
using MnistMl.Nn.Onnx;

namespace MnistMl.Trainers;

public sealed partial class KerasCnnTransformer
{
    /// <summary>
    /// Writes the transformer into an ML.NET model zip as ML.NET's own transformers, so the zip loads
    /// in an app that references only <c>Microsoft.ML</c>, <c>Microsoft.ML.OnnxTransformer</c> and
    /// <c>Microsoft.ML.OnnxRuntime</c>: the network exported to ONNX (grey levels scaled inside the
    /// graph, input named as the feature column, output <c>Score</c>) under an <c>OnnxTransformer</c>,
    /// then <c>MapValueToKey</c> for <c>PredictedLabel</c>. ML.NET keeps the API that writes a
    /// transformer of its own kind internal; ONNX is the public way in.
    /// </summary>
    /// <remarks>
    /// ONNX Runtime makes every output a vector, so the loaded model's <c>PredictedLabel</c> is a
    /// one-element key vector (bind it as <c>uint[]</c>) whose key values are the classes as Int64
    /// (not the label's own values); <c>Score</c> is the same in both. Saving needs ONNX Runtime's
    /// native library (in the <c>Microsoft.ML.OnnxRuntime</c> package): ML.NET's OnnxTransformer
    /// opens the model to read its inputs and outputs.
    /// </remarks>
    /// <exception cref="OnnxExportException">The network has a layer ONNX export does not cover.</exception>
    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);

        // From a file of ours, not a Stream: ML.NET copies a Stream into a temporary file it never
        // deletes. OnnxTransformer reads the file again when it saves, so it goes only afterwards.
        var file = Path.Combine(Path.GetTempPath(), $"mnistml-{Guid.NewGuid():N}.onnx");
        try
        {
            File.WriteAllBytes(file, OnnxBytes());
            using var chain = SavedForm(new MLContext(), file);
            ((ICanSaveModel)chain).Save(ctx);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The saved form: <c>OnnxTransformer</c> over <paramref name="onnxFile"/>, then the predicted label's key mapping.</summary>
    internal TransformerChain<ITransformer> SavedForm(MLContext ml, string onnxFile)
    {
        var features = new DataViewSchema.Builder();
        features.AddColumn(FeatureColumnName, new VectorDataViewType(_featureItemType, _columns.FeatureSize));
        var empty = new EmptyDataView(features.ToSchema());
        var scoring = ml.Transforms.ApplyOnnxModel([ScoreColumnName, PredictedLabelColumnName], [FeatureColumnName], onnxFile).Fit(empty);
        try
        {
            var digits = ml.Data.LoadFromEnumerable(Enumerable.Range(0, _columns.Classes).Select(i => new ClassValue { Value = i }));
            var keys = ml.Transforms.Conversion.MapValueToKey(PredictedLabelColumnName, keyData: digits).Fit(scoring.Transform(empty));
            return new TransformerChain<ITransformer>(scoring, keys);
        }
        catch
        {
            scoring.Dispose();
            throw;
        }
    }

    /// <summary>The network as ONNX, reading the feature column as it is (grey-level bytes or floats).</summary>
    /// <exception cref="OnnxExportException">The network cannot be exported, or grey levels go through more than one scaling.</exception>
    internal byte[] OnnxBytes()
    {
        var greyLevels = _featureItemType == NumberDataViewType.Byte;
        if (greyLevels && GreyLevelScalings.Count > 1)
        {
            throw new OnnxExportException(
                $"The grey levels go through {GreyLevelScalings.Count} scalings ({string.Join(" then ", GreyLevelScalings)}); an ONNX graph folds in one.");
        }

        var scaling = greyLevels && GreyLevelScalings.Count == 1 ? GreyLevelScalings[0] : new Transforms.PixelScaling(0, 1);
        using var stream = new MemoryStream();
        Model.ExportOnnx(stream, new OnnxExportOptions
        {
            Input = greyLevels ? OnnxInput.GreyLevelBytes : OnnxInput.Scaled,
            PixelOffset = scaling.Offset,
            PixelDivisor = scaling.Divisor,
            InputName = FeatureColumnName,
            OutputName = ScoreColumnName,
            DigitOutputName = PredictedLabelColumnName,
            IncludePredictedDigit = true,
        });
        return stream.ToArray();
    }

    private sealed class ClassValue
    {
        public long Value { get; set; }
    }
}
