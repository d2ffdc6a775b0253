using MnistMl.Nn;
using MnistMl.Persistence;
using MnistMl.Tests.Nn;
using MnistMl.Training;

namespace MnistMl.Tests.Training;

/// <summary>
/// A run stopped after any epoch and resumed from its saved state ends with the weights of the run
/// that never stopped, bit for bit: optimizer moments and step count, shuffling, dropout masks,
/// callback counters, learning-rate changes and the augmentation's draws all carry over.
/// </summary>
public sealed class ResumeTests
{
    private const int Epochs = 5;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Resuming_after_any_epoch_gives_the_uninterrupted_weights_bit_for_bit(int stopAfter)
    {
        var (x, y) = SyntheticData.Quadrants(96);
        var uninterrupted = Model();
        var fullHistory = uninterrupted.Fit(new TensorSampleSource(x, y), Options(Epochs, new Recorder(int.MaxValue)));

        var recorder = new Recorder(stopAfter);
        var first = Model();
        first.Fit(new TensorSampleSource(x, y), Options(Epochs, recorder));
        var (weights, state) = (recorder.Weights!, recorder.State!);

        // A new process: a fresh model of the same recipe, the saved weights, then the state.
        var resumed = Model();
        resumed.RestoreWeights(weights);
        var options = Options(Epochs, new Recorder(int.MaxValue));
        options.ResumeFrom = state;
        var resumedHistory = resumed.Fit(new TensorSampleSource(x, y), options);

        Assert.Equal(uninterrupted.WeightsSha256(), resumed.WeightsSha256());
        Assert.Equal(fullHistory.Loss, resumedHistory.Loss);
        Assert.Equal(uninterrupted.Optimizer!.LearningRate, resumed.Optimizer!.LearningRate);
    }

    [Fact]
    public void The_state_travels_in_a_model_file_and_the_resumed_run_still_matches_bit_for_bit()
    {
        var (x, y) = SyntheticData.Quadrants(96);
        var uninterrupted = Model();
        uninterrupted.Fit(new TensorSampleSource(x, y), Options(Epochs, new Recorder(int.MaxValue)));
        var recorder = new Recorder(3);
        var first = Model();
        first.Fit(new TensorSampleSource(x, y), Options(Epochs, recorder));
        first.RestoreWeights(recorder.Weights!);
        using var file = new MemoryStream();
        ModelFile.Save(file, first, new ModelFileContents { TrainingState = recorder.State });

        var loaded = ModelFile.Load(new MemoryStream(file.ToArray()), "run.zip");
        var options = Options(Epochs, new Recorder(int.MaxValue));
        options.ResumeFrom = loaded.TrainingState;
        loaded.Model.Compile(new Adam(), Losses.CategoricalCrossentropy, Metric.Accuracy);
        loaded.Model.Fit(new TensorSampleSource(x, y), options);

        Assert.Equal(3, loaded.TrainingState!.CompletedEpochs);
        Assert.Equal(uninterrupted.WeightsSha256(), loaded.Model.WeightsSha256());
    }

    [Fact]
    public void A_state_that_does_not_fit_the_run_is_refused_with_the_reason()
    {
        var (x, y) = SyntheticData.Quadrants(32);
        var recorder = new Recorder(1);
        Model().Fit(new TensorSampleSource(x, y), Options(2, recorder));

        var other = Model();
        other.Compile(new RMSprop(), Losses.CategoricalCrossentropy, Metric.Accuracy);
        var options = Options(2, new Recorder(int.MaxValue));
        options.ResumeFrom = recorder.State;

        var error = Assert.Throws<ArgumentException>(() => other.Fit(new TensorSampleSource(x, y), options));
        Assert.StartsWith("The run to resume used adam; this model is compiled with rmsprop.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_resume_with_other_augmentation_is_refused_naming_both()
    {
        var (x, y) = SyntheticData.Quadrants(32);
        var recorder = new Recorder(1);
        Model().Fit(new TensorSampleSource(x, y), Options(2, recorder));
        var options = Options(2, new Recorder(int.MaxValue));
        options.Augmentation = new ImageAugmentation { RotationRange = 5 };
        options.ResumeFrom = recorder.State;

        var error = Assert.Throws<ArgumentException>(() => Model().Fit(new TensorSampleSource(x, y), options));

        Assert.StartsWith($"The run to resume was trained with augmentation {recorder.State!.Augmentation}; this Fit asks for {options.Augmentation}.", error.Message, StringComparison.Ordinal);
        Assert.Equal(new ImageAugmentation { RotationRange = 10, WidthShiftRange = 0.1, ElasticAlpha = 2 }, recorder.State.Augmentation);
    }

    [Fact]
    public void A_state_refused_at_its_last_array_leaves_the_optimizer_as_it_was()
    {
        var (x, y) = SyntheticData.Quadrants(32);
        var recorder = new Recorder(1);
        Model().Fit(new TensorSampleSource(x, y), Options(2, recorder));
        var slots = recorder.State!.OptimizerSlots.ToList();
        slots[^1] = slots[^1][..^1];
        var damaged = Recorded(recorder.State, slots);
        var other = Model();
        other.Fit(new TensorSampleSource(x, y), new FitOptions { Epochs = 1, BatchSize = 16 });
        var before = other.Optimizer!.CopySlots(other.Network.Parameters);
        var iterations = other.Optimizer.Iterations;
        var options = Options(2, new Recorder(int.MaxValue));
        options.ResumeFrom = damaged;

        var error = Assert.Throws<ArgumentException>(() => other.Fit(new TensorSampleSource(x, y), options));

        Assert.StartsWith($"Saved optimizer array {slots.Count - 1} holds ", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, other.Optimizer.CopySlots(other.Network.Parameters));
        Assert.Equal(iterations, other.Optimizer.Iterations);
    }

    /// <summary>The state with other optimizer arrays, everything else as recorded.</summary>
    private static TrainingState Recorded(TrainingState state, IReadOnlyList<float[]> slots) => new()
    {
        CompletedEpochs = state.CompletedEpochs,
        Stopped = state.Stopped,
        BatchSize = state.BatchSize,
        ValidationSplit = state.ValidationSplit,
        Shuffle = state.Shuffle,
        History = state.History,
        OptimizerName = state.OptimizerName,
        OptimizerIterations = state.OptimizerIterations,
        LearningRate = state.LearningRate,
        OptimizerSlots = slots,
        ShuffleState = state.ShuffleState,
        DropoutSteps = state.DropoutSteps,
        Augmentation = state.Augmentation,
        Callbacks = state.Callbacks,
    };

    private static Sequential Model()
    {
        var model = SyntheticData.SmallCnn(seed: 5);
        model.Compile(new Adam(), Losses.CategoricalCrossentropy, Metric.Accuracy);
        return model;
    }

    /// <summary>Augmentation, dropout, a plateau schedule that fires, early stopping that keeps best weights, and the recorder last.</summary>
    private static FitOptions Options(int epochs, Recorder recorder)
    {
        var options = new FitOptions { Epochs = epochs, BatchSize = 16, ValidationSplit = 0.25, Augmentation = new ImageAugmentation { RotationRange = 10, WidthShiftRange = 0.1, ElasticAlpha = 2 } };
        options.Callbacks.Add(new ReduceLROnPlateau(monitor: "loss", factor: 0.5, patience: 0, minDelta: 10));
        options.Callbacks.Add(new EarlyStopping(monitor: "val_loss", patience: 10, restoreBestWeights: true));
        options.Callbacks.Add(recorder);
        return options;
    }

    /// <summary>Keeps the weights and the state of epoch <paramref name="stopAfter"/> and stops the run there, as a kill would.</summary>
    private sealed class Recorder(int stopAfter) : Callback
    {
        public float[][]? Weights { get; private set; }

        public TrainingState? State { get; private set; }

        public override bool NeedsTrainingState => true;

        public override void OnEpochCompleted(TrainingState state)
        {
            if (state.CompletedEpochs == stopAfter)
            {
                (Weights, State) = (Model!.CopyWeights(), state);
                Model.StopTraining = true;
            }
        }
    }
}
