using Microsoft.ML;
using Microsoft.ML.Data;
using MnistMl.Nn;
using MnistMl.Training;
using MnistMl.Transforms;

namespace MnistMl.Trainers;

/// <summary>
/// A network trained by <see cref="KerasCnnTrainer"/>, as an ML.NET transformer: it adds <c>Score</c>
/// (the class probabilities, Single vector, slot i = class i) and <c>PredictedLabel</c> (the most
/// probable class as a key of the classes, carrying the label's key values) to every row, lazily,
/// scoring on MnistMl's engine in process (no native library; saving, below, needs ONNX Runtime's). <c>MLContext.Model.Save</c> writes
/// it into a standard ML.NET zip as ONNX (see <c>KerasCnnTransformer.Save.cs</c>).
/// </summary>
public sealed partial class KerasCnnTransformer : ITransformer
{
    /// <summary>The probabilities column.</summary>
    public const string ScoreColumnName = "Score";

    /// <summary>The predicted-class column.</summary>
    public const string PredictedLabelColumnName = "PredictedLabel";

    /// <summary>The annotation naming what each key of a key column stands for.</summary>
    private const string KeyValuesKind = "KeyValues";

    private readonly TrainerColumns _columns;
    private readonly DataViewSchema.Annotations? _labelKeyValues;
    private readonly PrimitiveDataViewType _featureItemType;

    internal KerasCnnTransformer(Sequential model, TrainerColumns columns, PrimitiveDataViewType featureItemType, DataViewSchema.Annotations? labelKeyValues, IReadOnlyList<PixelScaling> greyLevelScalings, History? history)
    {
        Model = model;
        History = history;
        _columns = columns;
        _featureItemType = featureItemType;
        _labelKeyValues = labelKeyValues;
        GreyLevelScalings = greyLevelScalings;
    }

    /// <summary>What <see cref="KerasCnnTrainer"/> fitted: grey levels scaled as the presets are, the label's key values kept.</summary>
    internal static KerasCnnTransformer Fitted(Sequential model, TrainerColumns columns, DataViewSchema.Column features, DataViewSchema.Column label, History history) =>
        new(model, columns, ((VectorDataViewType)features.Type).ItemType, LabelKeyValues(label, columns.Classes), [PixelScaling.UnitRange], history);

    /// <summary>A network that reads grey levels (Byte) from <paramref name="featureColumnName"/>, its classes' key values Byte 0, 1, 2, ...</summary>
    internal static KerasCnnTransformer ForGreyLevels(Sequential model, IReadOnlyList<PixelScaling> scalings, string featureColumnName = KerasCnnTrainer.Options.Defaults.FeatureColumnName)
    {
        var classes = Shapes.Product([.. model.OutputShape]);
        var columns = new TrainerColumns(featureColumnName, KerasCnnTrainer.Options.Defaults.LabelColumnName, Shapes.Product([.. model.InputShape]), classes);
        return new(model, columns, NumberDataViewType.Byte, KeyValues(NumberDataViewType.Byte, classes, i => (byte)i), scalings, history: null);
    }

    /// <summary>The trained network.</summary>
    public Sequential Model { get; }

    /// <summary>The figures of every training epoch.</summary>
    public History? History { get; }

    /// <summary>Applied in order to grey levels (a Byte feature column) before the network; floats go in as they are.</summary>
    public IReadOnlyList<PixelScaling> GreyLevelScalings { get; }

    /// <summary>Whether the features are grey levels (Byte), scaled by <see cref="GreyLevelScalings"/>, rather than floats.</summary>
    public bool ReadsGreyLevels => _featureItemType == NumberDataViewType.Byte;

    /// <summary>The column the images are read from.</summary>
    public string FeatureColumnName => _columns.FeatureColumnName;

    /// <summary>Always true: each row is scored on its own.</summary>
    public bool IsRowToRowMapper => true;

    /// <inheritdoc/>
    /// <exception cref="Data.SchemaMismatchException">The feature column is missing or not a Byte or Single vector of the network's input size.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        _columns.Features(inputSchema);
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        builder.AddColumns(OutputColumns(_columns.Classes, _labelKeyValues));
        return builder.ToSchema();
    }

    /// <inheritdoc/>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new ScoredDataView(this, input, GetOutputSchema(input.Schema));
    }

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => new RowMapper(this, inputSchema, GetOutputSchema(inputSchema));

    /// <summary>The two columns the transformer adds.</summary>
    internal static DataViewSchema OutputColumns(int classes, DataViewSchema.Annotations? keyValues)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(ScoreColumnName, new VectorDataViewType(NumberDataViewType.Single, classes));
        builder.AddColumn(PredictedLabelColumnName, new KeyDataViewType(typeof(uint), classes), keyValues);
        return builder.ToSchema();
    }

    /// <summary>The key values <c>PredictedLabel</c> carries: the label key's own, or the classes 0–9 in the label's type (Single for one-hot labels).</summary>
    private static DataViewSchema.Annotations? LabelKeyValues(DataViewSchema.Column label, int classes)
    {
        if (label.Type is KeyDataViewType)
        {
            var copy = new DataViewSchema.Annotations.Builder();
            copy.Add(label.Annotations, kind => kind == KeyValuesKind);
            return copy.ToAnnotations();
        }

        // A one-hot label stands for the classes 0, 1, 2, ... in slot order.
        var type = label.Type as PrimitiveDataViewType ?? NumberDataViewType.Single;
        return type.RawType switch
        {
            var t when t == typeof(byte) => KeyValues(type, classes, i => (byte)i),
            var t when t == typeof(int) => KeyValues(type, classes, i => i),
            var t when t == typeof(uint) => KeyValues(type, classes, i => (uint)i),
            var t when t == typeof(long) => KeyValues(type, classes, i => (long)i),
            var t when t == typeof(float) => KeyValues(type, classes, i => (float)i),
            _ => KeyValues(type, classes, i => (double)i),
        };
    }

    private static DataViewSchema.Annotations KeyValues<T>(PrimitiveDataViewType type, int classes, Func<int, T> value)
    {
        var values = Enumerable.Range(0, classes).Select(value).ToArray();
        var builder = new DataViewSchema.Annotations.Builder();
        builder.Add(KeyValuesKind, new VectorDataViewType(type, classes), (ref VBuffer<T> destination) => new VBuffer<T>(values.Length, values).CopyTo(ref destination));
        return builder.ToAnnotations();
    }
}
