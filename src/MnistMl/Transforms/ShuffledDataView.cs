using MnistMl.Data;

namespace MnistMl.Transforms;

/// <summary>
/// The input's rows in a seeded random order: row <c>i</c> is input row <c>permutation[i]</c>.
/// The permutation is drawn on first use (Fisher–Yates with <see cref="Random"/> seeded, whose
/// sequence .NET keeps stable for a given seed) and shared by every reader.
/// </summary>
internal sealed class ShuffledDataView : RandomAccessDataView
{
    private readonly IDataView _input;
    private readonly Lazy<int[]> _permutation;

    public ShuffledDataView(IDataView input, int seed)
    {
        _input = input;
        _permutation = new(() => Permutation(input.RowCount, seed));
    }

    public override DataViewSchema Schema => _input.Schema;

    public override int RowCount => _input.RowCount;

    public override RowReader CreateReader() => new Reader(Schema, _input.CreateReader(), _permutation.Value);

    private static int[] Permutation(int count, int seed)
    {
        var permutation = new int[count];
        for (var i = 0; i < count; i++)
        {
            permutation[i] = i;
        }

        var random = new Random(seed);
        for (var i = count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (permutation[i], permutation[j]) = (permutation[j], permutation[i]);
        }

        return permutation;
    }

    private sealed class Reader(DataViewSchema schema, RowReader input, int[] permutation) : RowReader(schema)
    {
        public override Delegate CreateGetter(int columnIndex) => input.CreateGetter(columnIndex);

        protected override void SeekCore(int row) => input.Seek(permutation[row]);
    }
}
