namespace MnistMl.Training;

/// <summary>A contiguous range of another source's samples (how a validation split is cut).</summary>
internal sealed class SampleSourceSlice : ISampleSource
{
    private readonly ISampleSource _source;
    private readonly int _start;
    private int[] _shifted = [];

    public SampleSourceSlice(ISampleSource source, int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + count, source.Count);
        _source = source;
        _start = start;
        Count = count;
    }

    public int Count { get; }

    public IReadOnlyList<int> SampleShape => _source.SampleShape;

    public int TargetWidth => _source.TargetWidth;

    public void FillBatch(ReadOnlySpan<int> indices, Span<float> features, Span<float> targets)
    {
        if (_shifted.Length < indices.Length)
        {
            _shifted = new int[indices.Length];
        }

        for (var i = 0; i < indices.Length; i++)
        {
            _shifted[i] = indices[i] + _start;
        }

        _source.FillBatch(_shifted.AsSpan(0, indices.Length), features, targets);
    }
}
