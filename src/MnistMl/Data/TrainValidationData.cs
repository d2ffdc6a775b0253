namespace MnistMl.Data;

/// <summary>The two parts of <see cref="DataOperationsCatalog.ValidationSplit"/>; deconstructs to <c>(train, validation)</c>.</summary>
public sealed class TrainValidationData
{
    internal TrainValidationData(IDataView train, IDataView validation)
    {
        Train = train;
        Validation = validation;
    }

    /// <summary>The rows to train on: all but the last fraction.</summary>
    public IDataView Train { get; }

    /// <summary>The rows to validate on: the last fraction.</summary>
    public IDataView Validation { get; }

    /// <summary>Gives both parts, for <c>var (train, validation) = ...</c>.</summary>
    public void Deconstruct(out IDataView train, out IDataView validation)
    {
        train = Train;
        validation = Validation;
    }
}
