namespace MnistMl.Data;

/// <summary>
/// Reads one column's value of the row a cursor is on into <paramref name="value"/>. Scalar columns
/// are read as their CLR type (<see cref="byte"/>, <see cref="float"/>, ...); vector columns as
/// <see cref="ReadOnlyMemory{T}"/> of the item type, valid until the cursor moves.
/// </summary>
/// <typeparam name="TValue">The column's <see cref="DataViewType.RawType"/>.</typeparam>
/// <param name="value">Receives the value.</param>
public delegate void ValueGetter<TValue>(ref TValue value);
