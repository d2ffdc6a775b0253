using MnistMl.Data;
using MnistMl.Evaluation;
using MnistMl.Persistence;
using MnistMl.Training;
using MnistMl.Transforms;

namespace MnistMl;

/// <summary>
/// The starting point of an ML.NET-style pipeline: its catalogs (<see cref="Data"/>,
/// <see cref="Transforms"/>, <see cref="Trainers"/>, <see cref="MulticlassClassification"/>)
/// create every view and estimator and evaluate the results, and its seed makes every random
/// choice they make (shuffles, splits) reproducible.
/// </summary>
/// <example>
/// <code>
/// var ml = new MnistContext(seed: 42);
/// var (train, validation) = ml.Data.ValidationSplit(ml.Data.LoadMnist(dataset), 0.1);
/// var pipeline = ml.Transforms.ScalePixels()
///     .Append(ml.Transforms.Reshape(28, 28, 1))
///     .Append(ml.Transforms.OneHot("Label"));
/// var prepared = pipeline.Fit(train).Transform(train);
/// </code>
/// </example>
public sealed class MnistContext
{
    private readonly Random _seeds;
    private readonly Lock _seedsLock = new();

    /// <summary>Creates a context.</summary>
    /// <param name="seed">Fixes every random choice made through this context; null for a different outcome each run.</param>
    public MnistContext(int? seed = null)
    {
        Seed = seed;
        _seeds = seed is int fixedSeed ? new Random(fixedSeed) : new Random();
        Data = new DataOperationsCatalog(this);
        Transforms = new TransformsCatalog(this);
        Trainers = new TrainersCatalog(this);
        MulticlassClassification = new MulticlassClassificationCatalog(this);
        Model = new ModelOperationsCatalog();
    }

    /// <summary>Loading, converting, shuffling and splitting data views.</summary>
    public DataOperationsCatalog Data { get; }

    /// <summary>Estimators of data transforms (pixel scaling, reshaping, one-hot encoding).</summary>
    public TransformsCatalog Transforms { get; }

    /// <summary>Trainers that fit classifiers (<c>ml.Trainers.Cnn(...)</c>).</summary>
    public TrainersCatalog Trainers { get; }

    /// <summary>Evaluation of multiclass classifiers (accuracy, log loss, top-K, confusion matrix).</summary>
    public MulticlassClassificationCatalog MulticlassClassification { get; }

    /// <summary>Saving and loading model files and creating prediction engines (<c>ml.Model</c>).</summary>
    public ModelOperationsCatalog Model { get; }

    /// <summary>The seed the context was created with.</summary>
    internal int? Seed { get; }

    /// <summary>
    /// A seed for the next component that was not given one: the n-th call gives the same value
    /// for the same context seed, so one seed fixes a whole pipeline.
    /// </summary>
    internal int NextSeed()
    {
        lock (_seedsLock)
        {
            return _seeds.Next();
        }
    }
}
