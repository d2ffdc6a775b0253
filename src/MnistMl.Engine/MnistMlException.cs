namespace MnistMl;

/// <summary>
/// Base class of every error MnistMl raises on purpose: bad data, bad model files, bad images,
/// bad arguments to the engine. Catch this to tell an expected failure from a bug.
/// </summary>
public abstract class MnistMlException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    protected MnistMlException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    protected MnistMlException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
