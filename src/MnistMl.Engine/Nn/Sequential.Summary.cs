using System.Globalization;
using System.Text;

namespace MnistMl.Nn;

public sealed partial class Sequential
{
    /// <summary>
    /// Keras's summary table: each layer with its type, output shape and parameter count, then the
    /// totals. Written to <paramref name="writer"/> (default: the console) and returned.
    /// </summary>
    public string Summary(TextWriter? writer = null)
    {
        _ = Network;
        const int NameWidth = 29, ShapeWidth = 26;
        var rule = new string('_', 65);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Model: \"{Name}\"");
        text.AppendLine(rule);
        text.AppendLine(CultureInfo.InvariantCulture, $"{" Layer (type)",-NameWidth}{"Output Shape",-ShapeWidth}Param #");
        text.AppendLine(new string('=', 65));
        for (var i = 1; i < _layers.Count; i++)
        {
            var layer = _layers[i];
            var name = $" {layer.Name} ({layer.TypeName})";
            var shape = Shapes.FormatWithBatch([.. layer.OutputShape!]);
            text.AppendLine(CultureInfo.InvariantCulture, $"{name,-NameWidth}{shape,-ShapeWidth}{layer.ParameterCount:N0}");
            text.AppendLine(i == _layers.Count - 1 ? new string('=', 65) : string.Empty);
        }

        var total = CountParams();
        var trainable = _layers.Sum(l => l.TrainableParameterCount);
        text.AppendLine(CultureInfo.InvariantCulture, $"Total params: {total:N0}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Trainable params: {trainable:N0}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Non-trainable params: {total - trainable:N0}");
        text.AppendLine(rule);
        var result = text.ToString();
        (writer ?? Console.Out).Write(result);
        return result;
    }
}
