namespace MnistMl.Tests.Evaluation;

/// <summary>
/// Five rows of three classes, unbalanced (three of class 0, one each of 1 and 2), with class 2
/// never predicted. Every expected metric below is worked out by hand from this table:
/// <code>
/// row  label  scores (0, 1, 2)   predicted  p(true)  −ln p(true)  rank of true class
///  0     0    0.7  0.2  0.1          0        0.7     0.356675      0
///  1     0    0.6  0.3  0.1          0        0.6     0.510826      0
///  2     0    0.2  0.5  0.3          1        0.2     1.609438      2  (0.5 and 0.3 above it)
///  3     1    0.1  0.8  0.1          1        0.8     0.223144      0
///  4     2    0.5  0.1  0.4          0        0.4     0.916291      1  (0.5 above it)
/// </code>
/// Confusion counts (rows = truth, columns = predicted): [2 1 0], [0 1 0], [1 0 0].
/// </summary>
internal static class UnbalancedThreeClassCase
{
    public const int ClassCount = 3;

    public static int[] Labels { get; } = [0, 0, 0, 1, 2];

    public static float[] Scores { get; } =
    [
        0.7f, 0.2f, 0.1f,
        0.6f, 0.3f, 0.1f,
        0.2f, 0.5f, 0.3f,
        0.1f, 0.8f, 0.1f,
        0.5f, 0.1f, 0.4f,
    ];

    /// <summary>Row <paramref name="row"/>'s scores.</summary>
    public static float[] ScoresOf(int row) => Scores[(row * ClassCount)..((row + 1) * ClassCount)];
}
