using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MnistMl.Data;

namespace MnistMl.Trainers;

/// <summary>
/// The trainer's two columns and what it accepts in them: features, a Byte or Single vector of the
/// network's input size (any shape); a label that is a key standing for the classes in order
/// (key k is class k − 1, as <c>MapValueToKey(..., keyOrdinality: ByValue)</c> makes them), or an
/// integer class in a Byte, Int32, UInt32, Int64, Single or Double column, or a one-hot Single
/// vector (what ML.NET's <c>OneHotEncoding</c> makes of key labels).
/// </summary>
internal sealed class TrainerColumns
{
    /// <summary>Most classes: labels are kept as one byte each.</summary>
    public const int MaxClasses = 256;

    /// <exception cref="ArgumentException">The network has more than <see cref="MaxClasses"/> outputs.</exception>
    public TrainerColumns(string featureColumnName, string labelColumnName, int featureSize, int classes)
    {
        if (classes is < 2 or > MaxClasses)
        {
            throw new ArgumentException($"The network has {classes} outputs; the trainer classifies into 2 to {MaxClasses} classes.", nameof(classes));
        }

        (FeatureColumnName, LabelColumnName, FeatureSize, Classes) = (featureColumnName, labelColumnName, featureSize, classes);
    }

    public string FeatureColumnName { get; }

    public string LabelColumnName { get; }

    public int FeatureSize { get; }

    public int Classes { get; }

    /// <exception cref="SchemaMismatchException">The column is missing or not a Byte or Single vector of <see cref="FeatureSize"/>.</exception>
    public DataViewSchema.Column Features(DataViewSchema schema)
    {
        var column = Find(schema, FeatureColumnName, "feature");
        CheckFeatureType(column.Name, column.Type);
        return column;
    }

    public void CheckFeatureType(string name, DataViewType type)
    {
        if (type is not VectorDataViewType vector || !(vector.ItemType == NumberDataViewType.Byte || vector.ItemType == NumberDataViewType.Single) || vector.Size != FeatureSize)
        {
            throw new SchemaMismatchException(name, $"Feature column '{name}' must be a Byte or Single vector of {FeatureSize} values (Vector<Byte, {FeatureSize}> or Vector<Single, {FeatureSize}>, any shape); it is {type}.");
        }
    }

    /// <exception cref="SchemaMismatchException">The column is missing or of a type that cannot hold the classes.</exception>
    public DataViewSchema.Column Label(DataViewSchema schema)
    {
        var column = Find(schema, LabelColumnName, "label");
        var type = column.Type;
        if (type is KeyDataViewType key)
        {
            if (key.RawType != typeof(uint))
            {
                throw new SchemaMismatchException(column.Name, $"Label column '{column.Name}' is a key stored as {key.RawType.Name}; the trainer reads keys stored as UInt32, what MapValueToKey makes.");
            }

            if (key.Count != (ulong)Classes)
            {
                throw new SchemaMismatchException(column.Name, $"Label column '{column.Name}' is a key of {key.Count} values; the network has {Classes} classes.");
            }

            CheckKeyOrder(column);
        }
        else if (!IsNumber(type) && !IsOneHot(type))
        {
            throw new SchemaMismatchException(column.Name, $"Label column '{column.Name}' must be a key of {Classes} values, an integer class (Byte, Int32, UInt32, Int64, Single or Double) or a one-hot Single vector of {Classes}; it is {type}.");
        }

        return column;
    }

    /// <summary>Reads the current row's class, 0 to <see cref="Classes"/> − 1.</summary>
    public Func<byte> LabelReader(DataViewRow row, DataViewSchema.Column label)
    {
        switch (label.Type)
        {
            case KeyDataViewType:
                {
                    var get = row.GetGetter<uint>(label);
                    uint key = 0;
                    return () =>
                    {
                        get(ref key);
                        return key == 0 ? throw Missing(row) : ToClass(key - 1, row);
                    };
                }

            case VectorDataViewType:
                return OneHotReader(row, label);
            case var t when t == NumberDataViewType.Byte:
                return Reader<byte>(row, label, value => value);
            case var t when t == NumberDataViewType.Int32:
                return Reader<int>(row, label, value => value);
            case var t when t == NumberDataViewType.UInt32:
                return Reader<uint>(row, label, value => value);
            case var t when t == NumberDataViewType.Int64:
                return Reader<long>(row, label, value => value);
            case var t when t == NumberDataViewType.Single:
                return Reader<float>(row, label, value => value);
            default:
                return Reader<double>(row, label, value => value);
        }
    }

    private Func<byte> OneHotReader(DataViewRow row, DataViewSchema.Column label)
    {
        var get = row.GetGetter<VBuffer<float>>(label);
        VBuffer<float> value = default;
        return () =>
        {
            get(ref value);
            var hot = -1;
            var i = 0;
            foreach (var v in value.DenseValues())
            {
                if (v == 1 && hot < 0)
                {
                    hot = i;
                }
                else if (v != 0)
                {
                    hot = -2;
                    break;
                }

                i++;
            }

            return hot >= 0 ? (byte)hot : throw new DataValueException(LabelColumnName, row.Position, "the one-hot label does not have exactly one 1 and zeros elsewhere.");
        };
    }

    private Func<byte> Reader<T>(DataViewRow row, DataViewSchema.Column label, Func<T, double> toDouble)
    {
        var get = row.GetGetter<T>(label);
        T value = default!;
        return () =>
        {
            get(ref value);
            return ToClass(toDouble(value), row);
        };
    }

    private byte ToClass(double value, DataViewRow row) =>
        value >= 0 && value < Classes && value == Math.Floor(value)
            ? (byte)value
            : throw new DataValueException(LabelColumnName, row.Position, string.Create(CultureInfo.InvariantCulture, $"{value} is not a class 0–{Classes - 1}."));

    private DataValueException Missing(DataViewRow row) =>
        new(LabelColumnName, row.Position, "a missing key (0): a value MapValueToKey did not know.");

    private bool IsOneHot(DataViewType type) =>
        type is VectorDataViewType { ItemType: var item, Size: var size } && item == NumberDataViewType.Single && size == Classes;

    private static bool IsNumber(DataViewType type) =>
        type == NumberDataViewType.Byte || type == NumberDataViewType.Int32 || type == NumberDataViewType.UInt32
        || type == NumberDataViewType.Int64 || type == NumberDataViewType.Single || type == NumberDataViewType.Double;

    /// <summary>Score slot i must be class i for ML.NET's evaluator, so key k must stand for class k − 1.</summary>
    private static void CheckKeyOrder(DataViewSchema.Column column)
    {
        if (column.Annotations.Schema.GetColumnOrNull("KeyValues") is not { } keyValues)
        {
            return;
        }

        var values = KeyValueTexts(column, keyValues.Type);
        for (var k = 0; k < values.Count; k++)
        {
            if (!double.TryParse(values[k], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value != k)
            {
                throw new SchemaMismatchException(
                    column.Name,
                    $"Label column '{column.Name}' is a key whose values are [{string.Join(", ", values)}]; the trainer needs key k to stand for class k − 1 (0, 1, 2, ...). " +
                    "Map the labels with MapValueToKey(..., keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue), or give the trainer the integer labels.");
            }
        }
    }

    private static List<string> KeyValueTexts(DataViewSchema.Column column, DataViewType type)
    {
        var item = type is VectorDataViewType vector ? vector.ItemType : type;
        return item switch
        {
            TextDataViewType => Texts<ReadOnlyMemory<char>>(column, v => v.ToString()),
            _ when item == NumberDataViewType.Byte => Texts<byte>(column, v => v.ToString(CultureInfo.InvariantCulture)),
            _ when item == NumberDataViewType.Int32 => Texts<int>(column, v => v.ToString(CultureInfo.InvariantCulture)),
            _ when item == NumberDataViewType.UInt32 => Texts<uint>(column, v => v.ToString(CultureInfo.InvariantCulture)),
            _ when item == NumberDataViewType.Int64 => Texts<long>(column, v => v.ToString(CultureInfo.InvariantCulture)),
            _ when item == NumberDataViewType.Single => Texts<float>(column, v => v.ToString("R", CultureInfo.InvariantCulture)),
            _ when item == NumberDataViewType.Double => Texts<double>(column, v => v.ToString("R", CultureInfo.InvariantCulture)),
            _ => [.. Enumerable.Repeat("?", (int)((KeyDataViewType)column.Type).Count)],
        };
    }

    private static List<string> Texts<T>(DataViewSchema.Column column, Func<T, string> format)
    {
        VBuffer<T> values = default;
        column.GetKeyValues(ref values);
        return [.. values.DenseValues().Select(format)];
    }

    private static DataViewSchema.Column Find(DataViewSchema schema, string name, string role) =>
        schema.GetColumnOrNull(name) is { } column && !column.IsHidden
            ? column
            : throw SchemaMismatchException.MissingColumn(name, role, schema.Where(c => !c.IsHidden).Select(c => $"{c.Name} ({c.Type})"));
}
