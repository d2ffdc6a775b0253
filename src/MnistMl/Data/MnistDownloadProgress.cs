namespace MnistMl.Data;

/// <summary>How far the download of one MNIST file has come.</summary>
/// <param name="FileName">The file being downloaded, e.g. <c>t10k-images-idx3-ubyte.gz</c>.</param>
/// <param name="Source">The address it comes from.</param>
/// <param name="BytesReceived">Bytes received so far; 0 when the download starts.</param>
/// <param name="TotalBytes">The file's size as the server announced it, or null when it did not.</param>
public readonly record struct MnistDownloadProgress(string FileName, Uri Source, long BytesReceived, long? TotalBytes);
