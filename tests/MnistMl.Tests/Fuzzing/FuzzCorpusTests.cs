using MnistMl.Fuzz;
using MnistMl.Persistence;

namespace MnistMl.Tests.Fuzzing;

/// <summary>
/// Replays the committed fuzzing corpus (seeds, and every input a campaign found, kept as a
/// regression) through the fuzz targets: each must return or throw its parser's own exception.
/// </summary>
public sealed class FuzzCorpusTests
{
    private static readonly string Corpus = Path.Combine(ChildProcess.RepositoryRoot(), "tests", "MnistMl.Fuzz", "corpus");

    public static TheoryData<string, string> Inputs()
    {
        var data = new TheoryData<string, string>();
        foreach (var target in FuzzTargets.All.Keys)
        {
            var files = Directory.GetFiles(Path.Combine(Corpus, target), "*", SearchOption.AllDirectories);
            Assert.NotEmpty(files);
            foreach (var file in files.Order(StringComparer.Ordinal))
            {
                data.Add(target, Path.GetRelativePath(Corpus, file));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Every_corpus_input_gives_a_result_or_the_parsers_own_error(string target, string file) =>
        FuzzTargets.All[target](File.ReadAllBytes(Path.Combine(Corpus, file)));

    [Theory]
    [InlineData("model/seed.zip", false)]
    [InlineData("model/seed-with-state.zip", true)]
    public void The_model_seeds_load_so_the_fuzzer_starts_from_valid_files(string file, bool withState)
    {
        var loaded = ModelFile.Load(new MemoryStream(File.ReadAllBytes(Path.Combine(Corpus, file))), file);

        Assert.Equal("seed", loaded.Model.Name);
        Assert.Equal(withState, loaded.TrainingState is not null);
    }

    [Fact]
    public void Every_target_has_seeds_and_the_runner_knows_every_target()
    {
        var folders = Directory.GetDirectories(Corpus).Select(Path.GetFileName).Order(StringComparer.Ordinal);

        Assert.Equal(FuzzTargets.All.Keys.Order(StringComparer.Ordinal), folders);
    }
}
