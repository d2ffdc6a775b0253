namespace MnistMl.Nn;

/// <summary>Element-wise (or, for softmax, per-row) functions applied to a layer's output.</summary>
public enum Activation
{
    /// <summary>Identity: <c>f(z) = z</c> (Keras "linear").</summary>
    Linear,

    /// <summary><c>max(z, 0)</c>.</summary>
    Relu,

    /// <summary><c>z</c> for <c>z &gt; 0</c>, else <c>exp(z) − 1</c> (alpha = 1, as Keras).</summary>
    Elu,

    /// <summary><c>1 / (1 + exp(−z))</c>.</summary>
    Sigmoid,

    /// <summary>Hyperbolic tangent.</summary>
    Tanh,

    /// <summary><c>exp(z_i) / Σ_j exp(z_j)</c> over the last axis.</summary>
    Softmax,
}
