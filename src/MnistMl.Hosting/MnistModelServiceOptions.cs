namespace MnistMl.Hosting;

/// <summary>What <see cref="MnistModelService"/> serves and how it follows the file.</summary>
public sealed class MnistModelServiceOptions
{
    /// <summary>The model file (a <c>.zip</c> written by <c>mnistml train</c> or <c>MnistModel.Save</c>).</summary>
    public string ModelPath { get; set; } = string.Empty;

    /// <summary>Load the file again when it changes, and swap the new model in. Default true.</summary>
    public bool WatchForChanges { get; set; } = true;

    /// <summary>
    /// How long the file must stay unchanged before it is loaded: a copy in progress raises many
    /// change events, and only the last one matters. Default 250 ms.
    /// </summary>
    public TimeSpan SettleDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Refuse a model file that declares more weights than this, before allocating them (see
    /// <see cref="Persistence.ModelFile.Load(string, long)"/>). Default and most: <see cref="Persistence.ModelFile.MaxWeightCount"/>.
    /// </summary>
    public long MaxWeights { get; set; } = Persistence.ModelFile.MaxWeightCount;
}
