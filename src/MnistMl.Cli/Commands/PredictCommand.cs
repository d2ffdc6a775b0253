using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.Json;
using MnistMl.Data;

namespace MnistMl.Cli.Commands;

/// <summary>
/// <c>mnistml predict [MODEL] [FILES...] [--index N ...]</c>: the digit the model sees in image files
/// (made MNIST-like unless <c>--no-normalize</c>) and in MNIST test images; with no model (no
/// <c>.zip</c> first), the pretrained one that ships with MnistMl. Files come first, in
/// the order given, then the test images. A file that cannot be read is reported and skipped; once
/// every input has been tried, the exit code is that of the first failure (3 for a bad image, 6 for
/// a path that is not a readable file).
/// </summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var model = ModelArgument.Create();

        // Optional to the parser only: with --index first, the model comes among the tokens after it.
        model.Arity = ArgumentArity.ZeroOrOne;
        var files = new Argument<string[]>("files")
        {
            Description = "Image files (PNG, JPEG, BMP, PGM/PBM) with one handwritten digit each.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var indices = new Option<IndexTokens?>("--index", "-i")
        {
            Description = "Test-set image indices (0–9999); repeat or list several.",
            AllowMultipleArgumentsPerToken = true,
            Arity = ArgumentArity.OneOrMore,
            CustomParser = SplitIndices,
        };
        var noNormalize = new Option<bool>("--no-normalize")
        {
            Description = "Use files as they are: they must be 28 × 28, light ink on black. By default pictures are inverted if dark on light, cropped, scaled into 20 × 20 and centred, as MNIST was made.",
        };
        var data = CliOptions.Data();
        var json = CliOptions.Json();
        var command = new Command("predict", "Predict the digits of image files, or of MNIST test images, with a saved model or, given none, the pretrained one.") { model, files, indices, noNormalize, data, json };
        command.SetAction((parse, cancellationToken) =>
        {
            var (testIndices, afterIndices) = parse.GetValue(indices) ?? new IndexTokens([], []);
            string[] tokens = [.. parse.GetValue(model) is { } first ? [first] : Array.Empty<string>(), .. parse.GetValue(files) ?? [], .. afterIndices];

            // The first token is the model when it names one (a .zip); otherwise every token is a
            // picture and the pretrained model that ships with MnistMl reads them.
            var modelPath = tokens.Length > 0 && ModelArgument.NamesModel(tokens[0]) ? tokens[0] : null;
            var paths = tokens[(modelPath is null ? 0 : 1)..];
            if (paths.Length == 0 && testIndices.Length == 0)
            {
                throw new ArgumentException("Give image files (after the model, if not the pretrained one), or --index N for MNIST test images.");
            }

            var loaded = modelPath is null ? MnistModel.LoadPretrained() : ModelArgument.Load(modelPath);
            if (modelPath is null && !parse.GetValue(json))
            {
                parse.InvocationConfiguration.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Reading with the pretrained model ({loaded.Network.Name}, {loaded.Metrics.GetValueOrDefault("testAccuracy"):P2} on the MNIST test set); give a model .zip first to use your own."));
            }

            var test = testIndices.Length == 0 ? null : MnistDataset.Load(MnistSplit.Test, new MnistDataOptions { DataFolder = parse.GetValue(data) }, cancellationToken);
            foreach (var index in testIndices)
            {
                if (index < 0 || index >= test!.Count)
                {
                    throw new ArgumentException($"--index {index} is not a test image: use 0–{test!.Count - 1}.");
                }
            }

            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var results = new List<object>();
            int? firstFailure = null;
            foreach (var path in paths)
            {
                cancellationToken.ThrowIfCancellationRequested();
                DigitPrediction prediction;
                try
                {
                    prediction = loaded.Predict(DigitImage.FromFile(path, normalize: !parse.GetValue(noNormalize)));
                }
                catch (Exception ex) when (ex is MnistMlException or IOException)
                {
                    // A missing file is a data error, as it always was; the rest say what they are.
                    var (code, kind) = ex is MnistMlException ? CommandRunner.Classify(ex) : (ExitCodes.DataError, "data error");
                    firstFailure ??= code;
                    var message = ex is MnistMlException ? ex.Message : $"{path}: {ex.Message}";
                    error.WriteLine($"mnistml: {kind}: {message}");
                    results.Add(new { file = path, error = message });
                    continue;
                }

                var runnerUp = prediction.RunnerUp;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{path}: {prediction.Digit} ({prediction.Probability:P1}), runner-up {runnerUp} ({prediction.Scores[runnerUp]:P1})"));
                results.Add(new
                {
                    file = path,
                    digit = prediction.Digit,
                    probability = prediction.Probability,
                    runnerUp,
                    runnerUpProbability = prediction.Scores[runnerUp],
                    scores = prediction.Scores,
                });
            }

            if (test is not null)
            {
                foreach (var index in testIndices)
                {
                    var prediction = loaded.Predict(test.GetImage(index));
                    var label = test.Labels.Span[index];
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"#{index}: {prediction.Digit} ({prediction.Probability:P1}), runner-up {prediction.RunnerUp} ({prediction.Scores[prediction.RunnerUp]:P1}); label {label}{(label == prediction.Digit ? string.Empty : "  MISTAKE")}"));
                    results.Add(new { index, digit = prediction.Digit, probability = prediction.Probability, label = (int)label, scores = prediction.Scores });
                }
            }

            if (parse.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(results, CliJson.Options));
            }

            return Task.FromResult(firstFailure ?? ExitCodes.Success);
        });
        return command;
    }

    /// <summary>
    /// The whole numbers that follow <c>--index</c>, and the tokens after them: the parser gives
    /// the option every token up to the next option, so in <c>--index 0 MODEL</c> MODEL is
    /// handed back to the command as the model (and later ones as files), not read as an index.
    /// </summary>
    private static IndexTokens? SplitIndices(ArgumentResult result)
    {
        var tokens = result.Tokens.Select(t => t.Value).ToArray();
        var count = tokens.TakeWhile(t => int.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)).Count();
        if (count == 0)
        {
            result.AddError($"--index needs a test image number (0–9999), not '{tokens.FirstOrDefault()}'.");
            return null;
        }

        return new IndexTokens([.. tokens[..count].Select(t => int.Parse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture))], tokens[count..]);
    }

    /// <summary>What followed <c>--index</c>: the test image numbers, then the tokens that belong to the command.</summary>
    private sealed record IndexTokens(int[] Indices, string[] Rest);
}
