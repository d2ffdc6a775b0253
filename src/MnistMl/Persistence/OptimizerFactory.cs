using MnistMl.Nn;

namespace MnistMl.Persistence;

/// <summary>Rebuilds an optimizer from its saved Keras name and config: the reverse of each optimizer's <c>GetConfig</c>.</summary>
internal static class OptimizerFactory
{
    /// <exception cref="ModelFormatException">The name is unknown, or a config value is missing, unknown or out of range.</exception>
    public static Optimizer Create(ModelManifest.OptimizerConfig saved, string fileName)
    {
        var config = new ConfigReader(fileName, $"optimizer '{saved.Name}'", saved.Config);
        Optimizer optimizer = saved.Name switch
        {
            "adam" => new Adam(
                LearningRate(config), Fraction(config, "beta_1"), Fraction(config, "beta_2"), Epsilon(config), WeightDecay(config)),
            "rmsprop" => new RMSprop(LearningRate(config), Fraction(config, "rho"), Epsilon(config), WeightDecay(config)),
            "sgd" => new SGD(LearningRate(config), Fraction(config, "momentum"), config.Bool("nesterov"), WeightDecay(config)),
            _ => throw new ModelFormatException(
                fileName, $"the training recipe names unknown optimizer '{saved.Name}'; the known optimizers are {string.Join(", ", Optimizers.Names)}."),
        };
        config.ThrowIfUnknownKeys();
        return optimizer;
    }

    private static double LearningRate(ConfigReader config) => config.Double("learning_rate", x => x > 0, "above 0");

    private static double Fraction(ConfigReader config, string key) => config.Double(key, x => x >= 0 && x < 1, "in [0, 1)");

    private static double Epsilon(ConfigReader config) => config.Double("epsilon", x => x > 0, "above 0");

    private static double WeightDecay(ConfigReader config) => config.Double("weight_decay", x => x >= 0, "of at least 0");
}
