using MnistMl.Nn;

namespace MnistMl.Persistence;

/// <summary>Saves a <see cref="Sequential"/> network as a whole-model file (Keras's <c>model.save</c>).</summary>
public static class SequentialModelFileExtensions
{
    /// <summary>
    /// Saves the whole model (architecture, weights, training recipe) and, optionally, its
    /// preprocessing and metrics as one <c>.zip</c> file, atomically; see <see cref="ModelFile"/>
    /// for the format and <see cref="ModelFile.Load(string, long)"/> to read it back.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="contents"/> holds something a model file cannot hold.</exception>
    public static void Save(this Sequential model, string path, ModelFileContents? contents = null) => ModelFile.Save(path, model, contents);
}
