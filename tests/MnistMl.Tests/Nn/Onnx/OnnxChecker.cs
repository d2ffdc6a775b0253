using System.Diagnostics;

namespace MnistMl.Tests.Nn.Onnx;

/// <summary>
/// Validates ONNX files with the reference checker, <c>onnx.checker.check_model(..., full_check=True)</c>
/// (which also runs ONNX's shape inference), from Debian's <c>python3-onnx</c>. A missing checker
/// fails the test with the line that installs it; it is never skipped.
/// </summary>
internal static class OnnxChecker
{
    private const string Python = "/usr/bin/python3";

    private const string Script = """
        import sys
        import onnx
        for path in sys.argv[1:]:
            onnx.checker.check_model(onnx.load(path), full_check=True)
            print("valid", path)
        """;

    /// <summary>Checks every file in <paramref name="paths"/>; fails with the checker's own message on the first invalid one.</summary>
    public static void AssertValid(params string[] paths)
    {
        if (!File.Exists(Python))
        {
            Assert.Fail($"The ONNX checker needs Debian's python3 with python3-onnx ({Python} is missing): run tests/install-prerequisites.sh, or apt-get install python3-onnx.");
        }

        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script);
        foreach (var path in paths)
        {
            start.ArgumentList.Add(path);
        }

        using var checker = Process.Start(start)!;
        var output = checker.StandardOutput.ReadToEndAsync();
        var error = checker.StandardError.ReadToEndAsync();
        if (!checker.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            checker.Kill(entireProcessTree: true);
            Assert.Fail("The ONNX checker did not finish within two minutes.");
        }

        if (error.Result.Contains("No module named 'onnx'", StringComparison.Ordinal))
        {
            Assert.Fail("The ONNX checker needs Debian's python3-onnx: run tests/install-prerequisites.sh, or apt-get install python3-onnx.");
        }

        Assert.True(checker.ExitCode == 0, $"onnx.checker rejected a file:\n{error.Result}");
        Assert.Equal(paths.Length, output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
