using MnistMl.Nn;

namespace MnistMl.Tests.Nn;

/// <summary>Small learnable image data made at test time: the class decides which quadrant is bright.</summary>
internal static class SyntheticData
{
    public static (Tensor X, Tensor Y) Quadrants(int count, int size = 8, long seed = 1, bool sparse = false)
    {
        var random = new RandomSource(seed);
        var x = new Tensor(count, size, size, 1);
        var y = sparse ? new Tensor(count) : new Tensor(count, 4);
        var half = size / 2;
        for (var n = 0; n < count; n++)
        {
            var label = random.NextInt(4);
            var sample = x.Sample(n);
            for (var r = 0; r < size; r++)
            {
                for (var c = 0; c < size; c++)
                {
                    var quadrant = ((r >= half ? 1 : 0) * 2) + (c >= half ? 1 : 0);
                    sample[(r * size) + c] = (quadrant == label ? 0.6f : 0f) + (0.4f * random.NextSingle());
                }
            }

            if (sparse)
            {
                y.Data[n] = label;
            }
            else
            {
                y.Sample(n)[label] = 1;
            }
        }

        return (x, y);
    }

    public static Sequential SmallCnn(long seed = 0, bool dropout = true)
    {
        var layers = new List<Layer>
        {
            Layers.Input(8, 8, 1), Layers.Conv2D(4, 3, Activation.Relu), Layers.MaxPooling2D(2), Layers.Flatten(),
        };
        if (dropout)
        {
            layers.Add(Layers.Dropout(0.25));
        }

        layers.Add(Layers.Dense(4, Activation.Softmax));
        return new Sequential([.. layers]) { Seed = seed };
    }
}
