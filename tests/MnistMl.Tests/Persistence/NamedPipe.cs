using System.Diagnostics;
using MnistMl.Tests.Data;

namespace MnistMl.Tests.Persistence;

/// <summary>Named pipes (FIFOs) for tests of code that must refuse them rather than wait on them.</summary>
internal static class NamedPipe
{
    /// <summary>Makes a named pipe with <c>mkfifo</c>.</summary>
    public static string Create(TempFolder folder, string name)
    {
        var path = Path.Combine(folder.Path, name);
        using var mkfifo = Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
        return path;
    }

    /// <summary>
    /// The result of <paramref name="work"/>, which must end within 30 s; if it is still waiting on
    /// <paramref name="pipe"/>, the pipe is opened for writing (which releases a reader), and the test fails.
    /// </summary>
    public static async Task<T> Within<T>(Task<T> work, string pipe)
    {
        try
        {
            return await work.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            using (new FileStream(pipe, FileMode.Open, FileAccess.Write))
            {
            }

            Assert.Fail($"waited on the named pipe {pipe}.");
            throw;
        }
    }
}
