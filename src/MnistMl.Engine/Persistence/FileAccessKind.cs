namespace MnistMl.Persistence;

/// <summary>What was being done to a file when a <see cref="FileAccessException"/> was raised.</summary>
public enum FileAccessKind
{
    /// <summary>Reading an input: data, a model, an image.</summary>
    Read,

    /// <summary>Writing an output: a model, a picture, a report.</summary>
    Write,
}
