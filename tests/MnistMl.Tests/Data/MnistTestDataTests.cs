namespace MnistMl.Tests.Data;

public sealed class MnistTestDataTests : IDisposable
{
    private readonly TempFolder _top = new();

    public void Dispose() => _top.Dispose();

    [Fact]
    public void A_relative_data_folder_is_taken_from_where_the_tests_were_started()
    {
        var mnist = Directory.CreateDirectory(Path.Combine(_top.Path, "shared", "mnist")).FullName;
        var clone = Directory.CreateDirectory(Path.Combine(_top.Path, "main")).FullName;

        Assert.Equal(mnist, MnistTestData.Resolve("../shared/mnist", clone));
        Assert.Equal(mnist, MnistTestData.Resolve(mnist, "/somewhere/else"));
    }

    [Fact]
    public void A_data_folder_that_does_not_exist_is_named_with_where_it_was_looked_for()
    {
        var clone = Directory.CreateDirectory(Path.Combine(_top.Path, "main")).FullName;

        var error = Assert.Throws<InvalidOperationException>(() => MnistTestData.Resolve("../shared/mnist", clone));

        Assert.Equal(
            $"MNISTML_DATA='../shared/mnist' names no folder ({Path.Combine(_top.Path, "shared", "mnist")}, relative to {clone} where the tests were started); it must name the folder with the four MNIST files.",
            error.Message);
    }

    [Fact]
    public void The_test_assembly_knows_where_the_tests_were_started()
    {
        Assert.True(Path.IsPathRooted(MnistTestData.InvocationDirectory), $"InvocationDirectory is '{MnistTestData.InvocationDirectory}'");
    }
}
