using MnistMl.Data;

namespace MnistMl.Cli;

/// <summary>
/// Tells the user on standard error that a file is being downloaded and when it is done, one
/// line each, so the results on standard output stay clean for scripts.
/// </summary>
internal sealed class DownloadProgressPrinter(TextWriter error) : IProgress<MnistDownloadProgress>
{
    public void Report(MnistDownloadProgress value)
    {
        if (value.BytesReceived == 0)
        {
            error.WriteLine($"mnistml: downloading {value.FileName} from {value.Source}");
        }
        else if (value.BytesReceived == value.TotalBytes)
        {
            error.WriteLine($"mnistml: received {value.FileName} ({value.BytesReceived:N0} bytes), verifying");
        }
    }
}
