namespace MnistMl.Nn;

/// <summary>
/// The library's seeded random generator (xoshiro256** seeded through SplitMix64). Its sequence
/// is defined here, not by the runtime, so a seed gives the same run on any .NET version.
/// Separate streams (<see cref="RandomSource(long, ulong)"/>) keep weight initialisation,
/// shuffling and dropout independent of each other and of thread scheduling.
/// </summary>
internal sealed class RandomSource
{
    private ulong _s0, _s1, _s2, _s3;

    public RandomSource(long seed, ulong stream = 0)
    {
        var x = unchecked((ulong)seed ^ (stream * 0xD1B54A32D192ED03UL));
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    /// <summary>The generator's four state words, to continue its sequence later.</summary>
    public ulong[] GetState() => [_s0, _s1, _s2, _s3];

    /// <summary>Continues the sequence from <see cref="GetState"/>'s words.</summary>
    /// <exception cref="ArgumentException">Not four words, or all zero (xoshiro's one forbidden state).</exception>
    public void SetState(IReadOnlyList<ulong> state)
    {
        if (state.Count != 4 || state.All(word => word == 0))
        {
            throw new ArgumentException("A generator state is four words, not all zero.", nameof(state));
        }

        (_s0, _s1, _s2, _s3) = (state[0], state[1], state[2], state[3]);
    }

    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 24 random bits.</summary>
    public float NextSingle() => (NextUInt64() >> 40) * (1.0f / (1 << 24));

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, bound) without modulo bias (Lemire's method).</summary>
    public int NextInt(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bound, 1);
        var threshold = (uint)(-bound) % (uint)bound;
        while (true)
        {
            var product = (ulong)(uint)(NextUInt64() >> 32) * (uint)bound;
            if ((uint)product >= threshold)
            {
                return (int)(product >> 32);
            }
        }
    }

    /// <summary>Fisher–Yates shuffle.</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>
    /// Random bits that are a pure function of a key and a counter (SplitMix64's finaliser applied
    /// twice): any element can be drawn on any thread, in any order, with the same result.
    /// </summary>
    public static ulong Hash(ulong key, ulong counter)
    {
        var x = key ^ (counter * 0x9E3779B97F4A7C15UL);
        x = SplitMix(ref x);
        return SplitMix(ref x);
    }

    private static ulong SplitMix(ref ulong x)
    {
        var z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
