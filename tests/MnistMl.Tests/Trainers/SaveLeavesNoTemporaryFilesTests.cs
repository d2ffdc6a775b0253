using Microsoft.ML;
using MnistMl.Tests.Data;

namespace MnistMl.Tests.Trainers;

[CollectionDefinition(nameof(RunsAlone), DisableParallelization = true)]
public sealed class RunsAlone;

/// <summary>Counts the files in the system's temporary folder, so it runs while no other test does.</summary>
[Collection(nameof(RunsAlone))]
public sealed class SaveLeavesNoTemporaryFilesTests(KerasCnnTrainerTests.Fitted fitted) : IClassFixture<KerasCnnTrainerTests.Fitted>
{
    [Fact]
    public void Saving_a_pipeline_into_an_MLNet_zip_leaves_no_temporary_copy_of_the_network()
    {
        using var folder = new TempFolder();
        var ml = new MLContext(seed: 0);
        var schema = ml.Data.LoadMnist(KerasCnnTrainerTests.Fitted.TestData).Schema;
        var before = Directory.GetFiles(Path.GetTempPath()).ToHashSet();

        ml.Model.Save(fitted.Pipeline, schema, Path.Combine(folder.Path, "model.zip"));
        MnistModel.FromTransformer(fitted.Trainer).SaveAsMlNetModel(Path.Combine(folder.Path, "model2.zip"));

        Assert.Equal([], Directory.GetFiles(Path.GetTempPath()).Except(before));
        Assert.True(new FileInfo(Path.Combine(folder.Path, "model.zip")).Length > 1000);
    }
}
