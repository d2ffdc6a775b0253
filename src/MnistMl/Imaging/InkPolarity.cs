namespace MnistMl.Imaging;

/// <summary>How the ink of a picture relates to its paper, for <see cref="DigitNormalizer"/>.</summary>
public enum InkPolarity
{
    /// <summary>Detect it: dark on light when the border's median grey is brighter than the mean.</summary>
    Auto,

    /// <summary>Dark ink on light paper (a scan, a photo, a drawing program): inverted.</summary>
    DarkOnLight,

    /// <summary>Light ink on dark (MNIST, chalk on a blackboard): kept.</summary>
    LightOnDark,
}
