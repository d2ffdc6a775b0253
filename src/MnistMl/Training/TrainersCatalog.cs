namespace MnistMl.Training;

/// <summary>The trainers of a <see cref="MnistContext"/> (<c>ml.Trainers</c>).</summary>
public sealed class TrainersCatalog
{
    private readonly MnistContext _context;

    internal TrainersCatalog(MnistContext context)
    {
        _context = context;
    }

    /// <summary>A Keras-style CNN trainer with default options (the <c>cnn</c> preset).</summary>
    public CnnTrainer Cnn() => Cnn(new CnnTrainer.Options());

    /// <summary>A Keras-style CNN trainer configured in place: <c>ml.Trainers.Cnn(o =&gt; { o.Epochs = 15; })</c>.</summary>
    public CnnTrainer Cnn(Action<CnnTrainer.Options> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new CnnTrainer.Options();
        configure(options);
        return Cnn(options);
    }

    /// <summary>A Keras-style CNN trainer with the given options.</summary>
    public CnnTrainer Cnn(CnnTrainer.Options options) => new(options, _context.NextSeed());
}
