namespace MnistMl.Data;

/// <summary>
/// The MNIST files could not be found in any of the places searched and could not be downloaded.
/// The message lists the files needed and every place that was looked at.
/// </summary>
public sealed class DataNotFoundException : MnistMlException
{
    /// <summary>Creates the exception.</summary>
    public DataNotFoundException(string message, IReadOnlyList<string> searchedLocations, Exception? innerException = null)
        : base(message, innerException)
    {
        SearchedLocations = searchedLocations;
    }

    /// <summary>The folders (and download addresses) that were tried, in order.</summary>
    public IReadOnlyList<string> SearchedLocations { get; }
}
