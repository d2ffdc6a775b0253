namespace MnistMl.Nn;

/// <summary>How convolution and pooling windows treat the border (Keras's <c>padding</c>).</summary>
public enum Padding
{
    /// <summary>No padding: windows lie wholly inside the input, so the output shrinks (Keras's default).</summary>
    Valid,

    /// <summary>Zero padding so that the output is <c>ceil(input / stride)</c> in size.</summary>
    Same,
}
