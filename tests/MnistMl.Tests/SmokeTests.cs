namespace MnistMl.Tests;

public class SmokeTests
{
    [Fact]
    public void Cli_maps_data_errors_to_exit_code_3()
    {
        var (code, _) = MnistMl.Cli.CommandRunner.Classify(new MnistMl.Data.DataFormatException("x.idx", "bad magic"));
        Assert.Equal(3, code);
    }
}
