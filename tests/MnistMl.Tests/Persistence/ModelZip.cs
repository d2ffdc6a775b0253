using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using MnistMl.Persistence;

namespace MnistMl.Tests.Persistence;

/// <summary>Reads and rewrites the entries of model files, to damage them in exact ways.</summary>
internal static class ModelZip
{
    public static OrderedDictionary<string, byte[]> ReadEntries(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        var entries = new OrderedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var entry in zip.Entries)
        {
            using var stream = entry.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            entries.Add(entry.FullName, copy.ToArray());
        }

        return entries;
    }

    /// <summary>
    /// Writes the entries as the model writer does: the weights stored, everything else deflated
    /// (unless <paramref name="deflateWeights"/>), sealed as a real file is, so that the reader's
    /// later checks are the ones tested.
    /// </summary>
    public static void WriteEntries(string path, IEnumerable<KeyValuePair<string, byte[]>> entries, bool deflateWeights = false)
    {
        using var archive = new MemoryStream();
        using (var zip = new ZipArchive(archive, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                var level = (name == ModelFile.WeightsEntryName && !deflateWeights) || name == "training-state.bin" ? CompressionLevel.NoCompression : CompressionLevel.Optimal;
                using var stream = zip.CreateEntry(name, level).Open();
                stream.Write(content);
            }
        }

        using var file = File.Create(path);
        ArchiveSeal.WriteSealed(archive, file);
    }

    /// <summary>Seals again the bytes of a sealed model file that a test has changed, as a writer that means it would.</summary>
    public static byte[] Reseal(byte[] sealedFile)
    {
        const int CommentLength = 79;
        var unsealed = sealedFile[..^CommentLength];
        unsealed[^2] = 0;
        unsealed[^1] = 0;
        using var archive = new MemoryStream();
        archive.Write(unsealed);
        using var resealed = new MemoryStream();
        ArchiveSeal.WriteSealed(archive, resealed);
        return resealed.ToArray();
    }

    public static void Rewrite(string path, Action<OrderedDictionary<string, byte[]>> change)
    {
        var entries = ReadEntries(path);
        change(entries);
        WriteEntries(path, entries);
    }

    public static JsonObject ReadManifest(string path) =>
        JsonNode.Parse(ReadEntries(path)[ModelFile.ManifestEntryName])!.AsObject();

    public static void EditManifest(string path, Action<JsonObject> change) => Rewrite(path, entries =>
    {
        var manifest = JsonNode.Parse(entries[ModelFile.ManifestEntryName])!.AsObject();
        change(manifest);
        entries[ModelFile.ManifestEntryName] = Encoding.UTF8.GetBytes(manifest.ToJsonString());
    });

    /// <summary>The config object of the layer named <paramref name="layerName"/>.</summary>
    public static JsonObject LayerConfig(JsonObject manifest, string layerName) =>
        Layer(manifest, layerName)["config"]!.AsObject();

    public static JsonObject Layer(JsonObject manifest, string layerName) =>
        manifest["architecture"]!["layers"]!.AsArray().Single(l => (string)l!["name"]! == layerName)!.AsObject();

    /// <summary>
    /// Sets the uncompressed size that the local and central headers of entry <paramref name="name"/>
    /// declare, leaving its data as it is: a zip that lies about its size, as zip bombs do.
    /// </summary>
    public static void SetDeclaredSize(string path, string name, uint size)
    {
        var bytes = File.ReadAllBytes(path);
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var patched = 0;
        for (var i = 0; i + 46 < bytes.Length; i++)
        {
            var signature = BitConverter.ToUInt32(bytes, i);
            var (nameOffset, sizeOffset) = signature switch
            {
                0x04034b50 => (30, 22),
                0x02014b50 => (46, 24),
                _ => (0, 0),
            };
            var nameLength = nameOffset == 0 ? 0 : BitConverter.ToUInt16(bytes, i + nameOffset - (signature == 0x04034b50 ? 4 : 18));
            if (nameOffset != 0 && nameLength == nameBytes.Length && bytes.AsSpan(i + nameOffset, nameLength).SequenceEqual(nameBytes))
            {
                BitConverter.GetBytes(size).CopyTo(bytes, i + sizeOffset);
                patched++;
            }
        }

        Assert.Equal(2, patched);
        File.WriteAllBytes(path, Reseal(bytes));
    }
}
