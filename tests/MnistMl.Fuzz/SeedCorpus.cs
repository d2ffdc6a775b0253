using System.IO.Compression;
using System.Runtime.InteropServices;
using MnistMl.Imaging;
using MnistMl.Nn;
using MnistMl.Persistence;
using MnistMl.Training;

namespace MnistMl.Fuzz;

/// <summary>
/// The seed inputs of every target: one small valid example each (afl-fuzz works best from small
/// seeds), written by code so that they can be made again. They live in <c>corpus/TARGET/</c>.
/// </summary>
internal static class SeedCorpus
{
    public static void Write(string folder)
    {
        var model = new Sequential(Layers.Input(2, 2, 1), Layers.Conv2D(2, 2, Activation.Relu), Layers.Flatten(), Layers.Dropout(0.5), Layers.Dense(3, Activation.Softmax)) { Seed = 1, Name = "seed" };
        model.Compile(new Adam(), Losses.CategoricalCrossentropy, Metric.Accuracy);
        var state = TrainOneEpoch(model);
        using var sealedModel = new MemoryStream();
        ModelFile.Save(sealedModel, model);
        var sealedBytes = sealedModel.ToArray();
        Save(folder, "model", "seed.zip", sealedBytes);

        Save(folder, "model-sealed", "seed.zip", Unsealed(sealedBytes));

        using var zip = new ZipArchive(new MemoryStream(sealedBytes), ZipArchiveMode.Read);
        Save(folder, "manifest", "seed.json", Read(zip, ModelFile.ManifestEntryName));
        Save(folder, ".", "weights.bin", Read(zip, ModelFile.WeightsEntryName));

        using var withState = new MemoryStream();
        ModelFile.Save(withState, model, new ModelFileContents { TrainingState = state });
        using var stateZip = new ZipArchive(new MemoryStream(withState.ToArray()), ZipArchiveMode.Read);
        Save(folder, "training-state", "seed.json", Read(stateZip, TrainingStateFile.JsonEntryName));
        Save(folder, ".", "training-state.bin", Read(stateZip, TrainingStateFile.ArraysEntryName));
        Save(folder, "model", "seed-with-state.zip", withState.ToArray());
        Save(folder, "model-sealed", "seed-with-state.zip", Unsealed(withState.ToArray()));

        byte[] idx = [0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0, 4, .. Enumerable.Range(0, 16).Select(i => (byte)(i * 16))];
        Save(folder, "idx", "images.idx", idx);
        Save(folder, "idx", "labels.idx.gz", Gzip([0, 0, 8, 1, 0, 0, 0, 3, 7, 0, 9]));

        var digit = new GrayImage(8, 8, [.. Enumerable.Range(0, 64).Select(i => (byte)(i % 8 is 3 or 4 ? 255 : 0))]);
        var png = PngEncoder.Encode(digit);
        Save(folder, "image", "digit.png", png);
        Save(folder, "png-check", "digit.png", png);
        byte[] pgm = [.. "P5 4 4 255\n"u8, .. Enumerable.Range(0, 16).Select(i => (byte)(i * 16))];
        Save(folder, "image", "digit.pgm", pgm);
        Save(folder, "pnm", "digit.pgm", pgm);
        Save(folder, "pnm", "digit.pbm", "P1\n4 4\n0110\n0110\n0110\n0110\n"u8.ToArray());
        Save(folder, "pnm", "digit16.pgm", "P2\n2 2\n65535\n0 65535\n300 7\n"u8.ToArray());
        Save(folder, "pixels", "levels.bin", MemoryMarshal.AsBytes<float>([0f, 255f, 127.5f, 3f]).ToArray());
    }

    /// <summary>One epoch on four samples, with an early-stopping callback, for a training state that holds every kind of part.</summary>
    private static TrainingState TrainOneEpoch(Sequential model)
    {
        var x = new Tensor(4, 2, 2, 1);
        var y = new Tensor(4, 3);
        for (var i = 0; i < 4; i++)
        {
            x.Data[(i * 4) + i] = 1;
            y.Data[(i * 3) + (i % 3)] = 1;
        }

        var capture = new StateCapture();
        var options = new FitOptions { Epochs = 1, BatchSize = 2 };
        options.Callbacks.Add(new EarlyStopping(monitor: "loss", patience: 3, restoreBestWeights: true));
        options.Callbacks.Add(capture);
        model.Fit(new TensorSampleSource(x, y), options);
        return capture.State!;
    }

    private sealed class StateCapture : Callback
    {
        public TrainingState? State { get; private set; }

        public override bool NeedsTrainingState => true;

        public override void OnEpochCompleted(TrainingState state) => State = state;
    }

    /// <summary>A sealed model file without its seal: the zip as the archive writer left it.</summary>
    private static byte[] Unsealed(byte[] sealedFile)
    {
        var unsealed = sealedFile[..^79];
        unsealed[^2] = unsealed[^1] = 0;
        return unsealed;
    }

    private static void Save(string folder, string target, string name, byte[] content)
    {
        var directory = Directory.CreateDirectory(Path.Combine(folder, target)).FullName;
        File.WriteAllBytes(Path.Combine(directory, name), content);
    }

    private static byte[] Read(ZipArchive zip, string name)
    {
        using var stream = zip.GetEntry(name)!.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static byte[] Gzip(byte[] content)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(content);
        }

        return output.ToArray();
    }
}
