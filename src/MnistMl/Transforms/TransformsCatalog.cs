namespace MnistMl.Transforms;

/// <summary>
/// <see cref="MnistContext.Transforms"/>: the estimators of data transforms. Each area adds its
/// own as extension methods (<see cref="ImageTransformsCatalog"/>, <see cref="LabelTransformsCatalog"/>).
/// </summary>
public sealed class TransformsCatalog
{
    internal TransformsCatalog(MnistContext context)
    {
        Context = context;
    }

    /// <summary>The context, for estimators that need its seed.</summary>
    internal MnistContext Context { get; }
}
