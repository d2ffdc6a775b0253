using MnistMl.Data;
using MnistMl.Trainers;

namespace MnistMl;

/// <summary>What <see cref="MnistModel.Train"/> trains and where it finds MNIST.</summary>
public sealed class MnistTrainingOptions
{
    /// <summary>The recipe: preset, epochs, batch size, optimizer, learning rate, validation, seed, callbacks (the trainer's own options).</summary>
    public KerasCnnTrainer.Options Trainer { get; set; } = new();

    /// <summary>Where MNIST is found or downloaded to.</summary>
    public MnistDataOptions Data { get; set; } = new();

    /// <summary>
    /// When set, the whole model is saved here after every epoch (atomically), with the state a
    /// resumed run needs (see <see cref="Resume"/>).
    /// </summary>
    public string? CheckpointPath { get; set; }

    /// <summary>
    /// Continue the run saved at <see cref="CheckpointPath"/> (killed or stopped at any moment) with
    /// the same recipe: training picks up after the last saved epoch, and the final weights are
    /// bit-identical to those of a run that never stopped. With no file there yet, training
    /// starts afresh; with a finished model there, nothing is trained and it is evaluated again.
    /// </summary>
    public bool Resume { get; set; }

    /// <summary>
    /// Members of an ensemble to train (1: a single model): member <c>i</c> is the recipe trained
    /// with seed <c>Trainer.Seed + i</c>, exactly as a single run with that seed, and the model
    /// averages their probabilities (<see cref="MnistModel.Ensemble"/>). With a
    /// <see cref="CheckpointPath"/>, each member is saved beside it as it finishes
    /// (<c>mnist.member-1.zip</c>, ...), so <see cref="Resume"/> takes up an ensemble where it
    /// stopped; the members' files are removed once the ensemble is saved there.
    /// </summary>
    public int EnsembleSize { get; set; } = 1;
}
