using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using MnistMl.Data;
using MnistMl.Nn;
using MnistMl.Trainers;
using MnistMl.Training;
using MnistMl.Visualization;
using Spectre.Console;

namespace MnistMl.Cli.Commands;

/// <summary>
/// <c>mnistml train</c>: trains a preset on MNIST with a live progress bar and Keras's per-epoch
/// line, saves the model after every epoch (so Ctrl+C keeps the last complete one) and prints the
/// test metrics; with <c>--curves</c> it also draws the loss and accuracy curves as SVG.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var preset = new Option<string>("--preset") { Description = "Recipe: cnn (default), mlp, cnn64, dnn (the notebooks), fast (99 % in seconds) or accurate (99.65 % in about 12 minutes).", DefaultValueFactory = _ => "cnn" };
        var epochs = CliOptions.Epochs();
        var batchSize = CliOptions.WholeNumber("--batch-size", "Samples per step (default: the preset's).", 1, CliOptions.TrainingImages);
        var optimizer = new Option<string?>("--optimizer") { Description = $"{string.Join(", ", Optimizers.Names)} (default: the preset's)." };
        optimizer.AcceptOnlyFromAmong([.. Optimizers.Names]);
        var learningRate = CliOptions.Number("--learning-rate", "Learning rate (default: the optimizer's, 0.001 for adam and rmsprop; for the fast preset, the peak of its one-cycle schedule, 0.02).", r => r > 0, "a positive finite number");
        var validationSplit = CliOptions.Number("--validation-split", "Fraction of the training images held out for validation, taken from the end (default: the preset's).", f => f is >= 0 and < 1, "a fraction from 0 up to (not including) 1");
        var seed = new Option<int>("--seed") { Description = "Seed of the whole run.", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--output", "-o") { Description = "Where to save the model.", DefaultValueFactory = _ => "mnist.zip" };
        var resume = new Option<bool>("--resume") { Description = "Continue the run saved in the -o file (killed or stopped at any point) with the same options; the final weights are those of a run that never stopped. Without a file there, start afresh." };
        var curves = new Option<string?>("--curves") { Description = "Also draw loss and accuracy per epoch, training against validation, into this .svg file." };
        var data = CliOptions.Data();
        var threads = CliOptions.Threads();
        var json = CliOptions.Json();
        var ensemble = CliOptions.WholeNumber("--ensemble", "Train N models, with seeds S, S+1, ..., and save them as one that averages their probabilities (default 1: a single model).", 1, Ensemble.MaxMembers);
        var augmentation = new AugmentationOptions();
        var command = new Command("train", "Train a model on MNIST, save it as a .zip and report its test metrics.")
        {
            preset, epochs, batchSize, optimizer, learningRate, validationSplit, seed, data, output, resume, curves, threads, json, ensemble,
        };
        foreach (var option in augmentation.All)
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, cancellationToken) =>
        {
            CliOptions.ApplyThreads(parse.GetValue(threads));
            var curvesPath = parse.GetValue(curves);
            if (curvesPath is not null)
            {
                PictureFiles.CheckSvgPath("--curves", curvesPath);
            }

            // The model is saved after every epoch: a path that cannot take it fails now, not after the first epoch.
            OutputFiles.CheckWritable(parse.GetValue(output)!);

            var options = new MnistTrainingOptions
            {
                Trainer = new KerasCnnTrainer.Options
                {
                    Preset = ModelPreset.Get(parse.GetValue(preset)!).Name,
                    Epochs = parse.GetValue(epochs),
                    BatchSize = parse.GetValue(batchSize),
                    Optimizer = parse.GetValue(optimizer) is { } name ? () => Optimizers.Get(name) : null,
                    LearningRate = parse.GetValue(learningRate),
                    Augmentation = augmentation.From(parse),
                    ValidationFraction = parse.GetValue(validationSplit),
                    Seed = parse.GetValue(seed),
                },
                Data = new MnistDataOptions { DataFolder = parse.GetValue(data), Progress = new DownloadProgressPrinter(parse.InvocationConfiguration.Error) },
                CheckpointPath = parse.GetValue(output),
                Resume = parse.GetValue(resume),
                EnsembleSize = parse.GetValue(ensemble) ?? 1,
            };
            return Task.FromResult(Run(parse.InvocationConfiguration.Output, options, curvesPath, parse.GetValue(json), cancellationToken));
        });
        return command;
    }

    private static int Run(TextWriter output, MnistTrainingOptions options, string? curvesPath, bool json, CancellationToken cancellationToken)
    {
        var console = CliConsole.Create(output);
        var recipe = ModelPreset.Get(options.Trainer.Preset);
        console.WriteLine(Banner(recipe, options.Trainer, options.EnsembleSize));
        if (options.Resume && File.Exists(options.CheckpointPath))
        {
            console.WriteLine($"Resuming the run saved in {Path.GetFullPath(options.CheckpointPath)}");
        }

        if (options.EnsembleSize > 1)
        {
            options.Trainer.Callbacks.Add(new MemberPrinter(console, options.EnsembleSize, options.Trainer.Seed));
        }

        var lines = new EpochLinePrinter(console);
        options.Trainer.Callbacks.Add(lines);
        var clock = new TrainingClock();
        options.Trainer.Callbacks.Add(clock);
        MnistTrainingResult result;
        if (console.Profile.Capabilities.Interactive && !json)
        {
            result = null!;
            console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .Start(context =>
                {
                    var bar = new ProgressBarCallback(context);
                    options.Trainer.Callbacks.Add(bar);
                    result = MnistModel.Train(options, cancellationToken: cancellationToken);
                });
        }
        else
        {
            result = MnistModel.Train(options, cancellationToken: cancellationToken);
        }

        var path = Path.GetFullPath(options.CheckpointPath!);
        result.Model.Save(path);
        MetricsTable.Write(console, result.TestMetrics);
        console.WriteLine($"Saved {path}");
        if (curvesPath is not null)
        {
            curvesPath = Path.GetFullPath(curvesPath);
            TrainingCurves.Save(result.History, curvesPath, $"Training curves: {recipe.Name}");
            console.WriteLine($"Saved curves {curvesPath}");
        }

        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(
                new
                {
                    preset = recipe.Name,
                    epochs = result.History.Epochs.Count,
                    testAccuracy = result.TestMetrics.MicroAccuracy,
                    testLogLoss = result.TestMetrics.LogLoss,
                    epochSeconds = result.History.EpochSeconds,
                    trainingSeconds = clock.Elapsed.TotalSeconds,
                    modelPath = path,
                    weightsSha256 = result.Model.Network.WeightsSha256(),
                    curvesPath,
                    ensemble = result.Members.Count == 0 ? null : result.Members.Select((m, i) => new
                    {
                        seed = options.Trainer.Seed + i,
                        testAccuracy = m.TestMetrics.MicroAccuracy,
                        weightsSha256 = m.Model.Network.WeightsSha256(),
                    }),
                },
                CliJson.Options));
        }

        return ExitCodes.Success;
    }

    /// <summary>What this run trains: the preset's recipe, then whatever the options change in it.</summary>
    internal static string Banner(ModelPreset recipe, KerasCnnTrainer.Options options, int ensemble = 1)
    {
        var changes = new List<string>();
        if (options.Optimizer is { } makeOptimizer)
        {
            changes.Add($"optimizer {makeOptimizer().Name}");
        }

        if (options.LearningRate is double rate)
        {
            changes.Add(string.Create(CultureInfo.InvariantCulture, $"learning rate {rate:G}"));
        }

        if (options.BatchSize is int batch && batch != recipe.BatchSize)
        {
            changes.Add(string.Create(CultureInfo.InvariantCulture, $"batch {batch}"));
        }

        if (options.Epochs is int epochs && epochs != recipe.Epochs)
        {
            changes.Add(epochs == 1 ? "1 epoch" : string.Create(CultureInfo.InvariantCulture, $"{epochs} epochs"));
        }

        if (options.ValidationFraction is double fraction && fraction != recipe.ValidationSplit)
        {
            changes.Add(string.Create(CultureInfo.InvariantCulture, $"validation split {fraction:G}"));
        }

        if (options.Augmentation is { IsActive: true } augmentation)
        {
            changes.Add(string.Create(CultureInfo.InvariantCulture, $"augmentation: {augmentation}"));
        }

        if (ensemble > 1)
        {
            changes.Add(string.Create(CultureInfo.InvariantCulture, $"an ensemble of {ensemble}, seeds {options.Seed}–{options.Seed + ensemble - 1}"));
        }

        return changes.Count == 0 ? $"Training {recipe}" : $"Training {recipe} (this run: {string.Join(", ", changes)})";
    }

    /// <summary>The line that starts each member of an ensemble.</summary>
    private sealed class MemberPrinter(IAnsiConsole console, int members, long seed) : Callback
    {
        private int _started;

        public override void OnTrainBegin() =>
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Member {++_started} of {members} (seed {seed + _started - 1})"));
    }

    /// <summary>Keras's per-epoch line, written above the live progress bar.</summary>
    private sealed class EpochLinePrinter(IAnsiConsole console) : Callback
    {
        private int _batches;

        public override void OnBatchEnd(in BatchLogs logs) => _batches = logs.Batches;

        public override void OnEpochEnd(EpochLogs logs) =>
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Epoch {logs.Epoch + 1}: {ProgressLogger.Format(logs, _batches)}"));
    }

    /// <summary>Wall time from the first epoch's start to the end of training: what a recipe's "seconds of training" means (data loading and the test evaluation are not in it).</summary>
    private sealed class TrainingClock : Callback
    {
        private readonly System.Diagnostics.Stopwatch _watch = new();

        public TimeSpan Elapsed => _watch.Elapsed;

        // Start, not restart: an ensemble's members add up.
        public override void OnTrainBegin() => _watch.Start();

        public override void OnTrainEnd(History history) => _watch.Stop();
    }

    /// <summary>One bar per epoch: batches done, running loss and accuracy, samples per second, time left.</summary>
    private sealed class ProgressBarCallback(ProgressContext context) : Callback
    {
        private ProgressTask? _task;

        public override void OnBatchEnd(in BatchLogs logs)
        {
            if (_task is null || logs.Batch == 0)
            {
                _task?.StopTask();
                _task = context.AddTask($"Epoch {logs.Epoch + 1}/{logs.Epochs}", maxValue: logs.Batches);
            }

            var rate = logs.SamplesDone / Math.Max(logs.Elapsed.TotalSeconds, 1e-9);
            _task.Description = string.Create(CultureInfo.InvariantCulture,
                $"Epoch {logs.Epoch + 1}/{logs.Epochs} {logs.Batch + 1}/{logs.Batches} loss {logs.Loss:F4} acc {logs.Accuracy:F4} {rate:N0} samples/s");
            _task.Value = logs.Batch + 1;
        }
    }
}
