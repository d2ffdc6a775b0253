namespace MnistMl.Hosting;

/// <summary>A request the endpoints refuse, with the HTTP status and a reason a person understands (sent as problem details).</summary>
internal sealed class RequestException(int statusCode, string title, string detail) : Exception(detail)
{
    public int StatusCode { get; } = statusCode;

    public string Title { get; } = title;
}
