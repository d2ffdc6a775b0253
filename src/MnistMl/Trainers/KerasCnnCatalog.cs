using Microsoft.ML;
using MnistMl.Trainers;

namespace MnistMl;

/// <summary><c>ml.MulticlassClassification.Trainers.KerasCnn(...)</c>: MnistMl's trainer among ML.NET's own.</summary>
public static class KerasCnnCatalog
{
    /// <summary>A <see cref="KerasCnnTrainer"/> with the given options.</summary>
    /// <exception cref="ArgumentException">The preset is unknown.</exception>
    public static KerasCnnTrainer KerasCnn(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, KerasCnnTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new KerasCnnTrainer(options);
    }

    /// <summary>A <see cref="KerasCnnTrainer"/> for a preset, columns and epochs.</summary>
    /// <exception cref="ArgumentException">The preset is unknown.</exception>
    public static KerasCnnTrainer KerasCnn(
        this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = KerasCnnTrainer.Options.Defaults.LabelColumnName,
        string featureColumnName = KerasCnnTrainer.Options.Defaults.FeatureColumnName,
        string preset = KerasCnnTrainer.Options.Defaults.Preset,
        int? epochs = null,
        long seed = 0) =>
        KerasCnn(catalog, new KerasCnnTrainer.Options { LabelColumnName = labelColumnName, FeatureColumnName = featureColumnName, Preset = preset, Epochs = epochs, Seed = seed });
}
