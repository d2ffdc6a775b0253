using System.Runtime.InteropServices;
using System.Security.Cryptography;
using MnistMl.Persistence;

namespace MnistMl.Nn;

public sealed partial class Sequential
{
    /// <summary>
    /// Saves every weight (see the format in the docs) atomically: a crash mid-save never leaves a
    /// partial file under <paramref name="path"/>.
    /// </summary>
    public void SaveWeights(string path) => AtomicFile.Write(path, stream => WeightsFormat.Write(stream, WeightTable()));

    /// <summary>Loads weights saved from a model of the same architecture.</summary>
    /// <exception cref="ModelFormatException">The file is damaged, truncated, or from another architecture.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="FileAccessException">The file cannot be read: permission, not a regular file, a symbolic-link loop.</exception>
    public void LoadWeights(string path)
    {
        var table = WeightTable();
        var staging = table.Select(t => (t.Name, t.Shape, Values: new float[t.Values.Length])).ToList();
        using (var stream = InputFile.OpenRead(path))
        {
            WeightsFormat.Read(stream, path, staging);
        }

        // Only a file that read completely replaces the weights.
        for (var i = 0; i < table.Count; i++)
        {
            staging[i].Values.CopyTo(table[i].Values, 0);
        }
    }

    /// <summary>
    /// The SHA-256 (lower-case hex) of every weight's float32 bytes in save order: equal for two
    /// models exactly when their weights are equal bit for bit (e.g. two runs with one seed).
    /// </summary>
    public string WeightsSha256()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (_, _, values) in WeightTable())
        {
            hash.AppendData(MemoryMarshal.AsBytes(values.AsSpan()));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The weights by "layer/weight" name, in save order.</summary>
    internal IReadOnlyList<(string Name, int[] Shape, float[] Values)> WeightTable()
    {
        _ = Network;
        var table = new List<(string, int[], float[])>();
        foreach (var layer in _layers.Skip(1))
        {
            foreach (var w in layer.Op.Weights)
            {
                table.Add(($"{layer.Name}/{w.Name}", w.Shape, w.Value));
            }
        }

        return table;
    }
}
