using MnistMl.Nn;

namespace MnistMl.Tests.Nn;

public sealed class OptimizersTests
{
    [Theory]
    [InlineData("adam", typeof(Adam))]
    [InlineData("RMSprop", typeof(RMSprop))]
    [InlineData("sgd", typeof(SGD))]
    public void Get_gives_a_new_optimizer_with_Keras_defaults_by_name(string name, Type type)
    {
        var optimizer = Optimizers.Get(name);

        Assert.IsType(type, optimizer);
        Assert.Equal(type == typeof(SGD) ? 0.01 : 0.001, optimizer.LearningRate);
        Assert.NotSame(optimizer, Optimizers.Get(name));
    }

    [Fact]
    public void Get_refuses_an_unknown_name_listing_the_known_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => Optimizers.Get("adagrad"));

        Assert.StartsWith("Unknown optimizer 'adagrad'. Known: adam, rmsprop, sgd.", error.Message, StringComparison.Ordinal);
    }
}
