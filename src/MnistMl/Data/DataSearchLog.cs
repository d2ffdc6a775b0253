namespace MnistMl.Data;

/// <summary>
/// The places a search for the MNIST files looked at, in order, each with what was found there;
/// it becomes the message of the <see cref="DataNotFoundException"/> when the search fails.
/// </summary>
internal sealed class DataSearchLog
{
    private readonly List<string> _locations = [];
    private readonly List<string> _outcomes = [];

    /// <summary>Records that <paramref name="location"/> (a folder or URL) was tried and what came of it.</summary>
    public void Add(string location, string description, string outcome)
    {
        _locations.Add(location);
        _outcomes.Add($"{description}: {outcome}");
    }

    /// <summary>Records something about the search that is not a location, e.g. that downloads are off.</summary>
    public void Note(string note) => _outcomes.Add(note);

    /// <summary>The exception for a failed search: one line naming the files needed and every outcome in order.</summary>
    public DataNotFoundException ToException(IEnumerable<MnistFile> needed, string? conclusion = null)
    {
        var tried = string.Join("; ", _outcomes);
        var message = $"MNIST data not found. Needed: {MnistFile.ListNames(needed)} (each raw or gzipped with .gz). Tried: {tried}.";
        return new DataNotFoundException(conclusion is null ? message : $"{message} {conclusion}", _locations.ToArray());
    }
}
