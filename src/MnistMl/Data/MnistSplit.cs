namespace MnistMl.Data;

/// <summary>Which half of MNIST to load.</summary>
public enum MnistSplit
{
    /// <summary>The 60,000 training images (<c>train-*-ubyte</c>).</summary>
    Train,

    /// <summary>The 10,000 test images (<c>t10k-*-ubyte</c>).</summary>
    Test,
}
