namespace MnistMl.Tests;

/// <summary>Debian's chromium, which the browser tests drive; missing is a failure, never a skip.</summary>
internal static class ChromiumBrowser
{
    /// <summary>The executable on PATH.</summary>
    /// <exception cref="InvalidOperationException">Chromium is not installed, with what to do about it.</exception>
    public static string Executable()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, "chromium"))
            .FirstOrDefault(File.Exists);
        return path ?? throw new InvalidOperationException(
            "Chromium is not installed (no 'chromium' on PATH): run the tests as the README says (tests/install-prerequisites.sh installs Debian's chromium), or apt-get install chromium.");
    }
}
