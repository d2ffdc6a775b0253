using System.Globalization;
using System.Text.Json;

namespace MnistMl.Persistence;

/// <summary>
/// Reads a saved config (a layer's, an optimizer's, a preprocessing step's) value by value, each
/// checked for type and range, so a bad value fails naming the file, the owner and the key. After
/// the owner is rebuilt, <see cref="ThrowIfUnknownKeys"/> rejects keys nothing read.
/// </summary>
internal sealed class ConfigReader(string fileName, string owner, IReadOnlyDictionary<string, JsonElement> config)
{
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public int Int(string key, int min, int max = int.MaxValue)
    {
        var value = Get(key);
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && n >= min && n <= max)
        {
            return n;
        }

        throw Bad(key, value, $"a whole number from {min} to {max}");
    }

    /// <summary>Two whole numbers of at least <paramref name="min"/>: Keras's (height, width) pairs.</summary>
    public (int Height, int Width) IntPair(string key, int min)
    {
        var values = Ints(key, min, 2, 2);
        return (values[0], values[1]);
    }

    /// <summary>An array of <paramref name="minLength"/> to <paramref name="maxLength"/> whole numbers of at least <paramref name="min"/>.</summary>
    public int[] Ints(string key, int min, int minLength, int maxLength)
    {
        var value = Get(key);
        if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() is var length && length >= minLength && length <= maxLength)
        {
            var values = new int[length];
            var i = 0;
            foreach (var item in value.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out values[i]) || values[i] < min)
                {
                    break;
                }

                i++;
            }

            if (i == length)
            {
                return values;
            }
        }

        var count = minLength == maxLength ? $"{minLength}" : $"{minLength} to {maxLength}";
        throw Bad(key, value, $"an array of {count} whole numbers of at least {min}");
    }

    /// <summary>A finite number for which <paramref name="isValid"/> holds, described by <paramref name="rule"/>.</summary>
    public double Double(string key, Func<double, bool> isValid, string rule)
    {
        var value = Get(key);
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var x) && double.IsFinite(x) && isValid(x))
        {
            return x;
        }

        throw Bad(key, value, $"a number {rule}");
    }

    /// <summary>A finite float32 for which <paramref name="isValid"/> holds, described by <paramref name="rule"/>.</summary>
    public float Single(string key, Func<float, bool> isValid, string rule)
    {
        var value = Get(key);
        if (value.ValueKind == JsonValueKind.Number && value.TryGetSingle(out var x) && float.IsFinite(x) && isValid(x))
        {
            return x;
        }

        throw Bad(key, value, $"a float32 number {rule}");
    }

    /// <summary>true or false.</summary>
    public bool Bool(string key)
    {
        var value = Get(key);
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Bad(key, value, "true or false"),
        };
    }

    /// <summary>A string that is not empty or blank.</summary>
    public string String(string key)
    {
        var value = Get(key);
        return value.ValueKind == JsonValueKind.String && value.GetString() is { } s && !string.IsNullOrWhiteSpace(s)
            ? s
            : throw Bad(key, value, "a non-empty string");
    }

    /// <summary>One of <typeparamref name="TEnum"/>'s names in lower case, as Keras writes <c>"relu"</c> or <c>"valid"</c>.</summary>
    public TEnum Enum<TEnum>(string key)
        where TEnum : struct, Enum
    {
        var value = Get(key);
        var names = System.Enum.GetValues<TEnum>().ToDictionary(v => v.ToString().ToLowerInvariant(), StringComparer.Ordinal);
        return value.ValueKind == JsonValueKind.String && names.TryGetValue(value.GetString()!, out var parsed)
            ? parsed
            : throw Bad(key, value, $"one of {string.Join(", ", names.Keys.Select(n => $"\"{n}\""))}");
    }

    /// <summary>The value as it is, for a reader of its own (an ensemble's members).</summary>
    public JsonElement Element(string key) => Get(key);

    /// <summary>Fails if the config has a key that no read asked for, listing the keys that belong there.</summary>
    public void ThrowIfUnknownKeys()
    {
        var unknown = config.Keys.Where(k => !_read.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            var known = _read.Count == 0 ? "it takes no config" : $"it takes {string.Join(", ", _read.Order(StringComparer.Ordinal).Select(k => $"'{k}'"))}";
            throw new ModelFormatException(fileName, $"{owner} has unknown config {string.Join(", ", unknown.Select(k => $"'{k}'"))}; {known}.");
        }
    }

    private JsonElement Get(string key)
    {
        _read.Add(key);
        return config.TryGetValue(key, out var value)
            ? value
            : throw new ModelFormatException(fileName, $"{owner} lacks config '{key}'.");
    }

    private ModelFormatException Bad(string key, JsonElement value, string expected)
    {
        var text = value.GetRawText();
        if (text.Length > 40)
        {
            text = string.Concat(text.AsSpan(0, 40), "...");
        }

        return new ModelFormatException(fileName, string.Create(CultureInfo.InvariantCulture, $"{owner} has config '{key}' = {text}; it must be {expected}."));
    }
}
