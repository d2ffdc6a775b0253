using System.Linq.Expressions;
using System.Reflection;

namespace MnistMl.Data;

/// <summary>
/// One public property or field of a row class as a column: how it is read into a view
/// (<see cref="DataOperationsCatalog.LoadFromEnumerable{TRow}"/>) and written from one
/// (<see cref="DataOperationsCatalog.CreateEnumerable{TRow}"/>). Numbers and strings become scalar
/// columns and arrays of numbers vector columns. Accessors are compiled once, so reading rows allocates nothing.
/// </summary>
internal abstract class RowMember<TRow>
    where TRow : class
{
    protected RowMember(MemberInfo member, DataViewType type)
    {
        Member = member;
        Type = type;
        Name = member.GetCustomAttribute<ColumnNameAttribute>()?.Name ?? member.Name;
    }

    public MemberInfo Member { get; }

    /// <summary>The column's name: the member's, or its <see cref="ColumnNameAttribute"/>'s (read once: getters use it on every row).</summary>
    public string Name { get; }

    public DataViewType Type { get; }

    /// <summary>The public instance members of <typeparamref name="TRow"/> that can be read (or written), in declaration order.</summary>
    /// <exception cref="ArgumentException">A member has a type that is neither a number, a string nor an array of numbers.</exception>
    public static IReadOnlyList<RowMember<TRow>> Discover(bool writable)
    {
        const BindingFlags Public = BindingFlags.Public | BindingFlags.Instance;
        var properties = typeof(TRow).GetProperties(Public)
            .Where(p => p.GetIndexParameters().Length == 0 && (writable ? p.SetMethod?.IsPublic : p.GetMethod?.IsPublic) == true)
            .Select(p => ((MemberInfo)p, p.PropertyType));
        var fields = typeof(TRow).GetFields(Public)
            .Where(f => !writable || !f.IsInitOnly)
            .Select(f => ((MemberInfo)f, f.FieldType));
        return [.. properties.Concat(fields).Select(m => Create(m.Item1, m.Item2))];
    }

    /// <summary>A getter of this member's value in <c>rows[reader.Row]</c>.</summary>
    public abstract Delegate CreateGetter(RowReader reader, IReadOnlyList<TRow> rows);

    /// <summary>An action that writes <paramref name="column"/>'s value in the cursor's current row into this member of a row object.</summary>
    public abstract Action<TRow> CreateSetter(DataViewRowCursor cursor, DataViewSchema.Column column);

    protected static TRow RowAt(IReadOnlyList<TRow> rows, RowReader reader, string memberName) =>
        rows[reader.Row] ?? throw new DataValueException(memberName, reader.Row, $"the {typeof(TRow).Name} object is null.");

    protected static Func<TRow, TValue> CompileRead<TValue>(MemberInfo member)
    {
        var row = Expression.Parameter(typeof(TRow), "row");
        return Expression.Lambda<Func<TRow, TValue>>(Expression.MakeMemberAccess(row, member), row).Compile();
    }

    protected static Action<TRow, TValue> CompileWrite<TValue>(MemberInfo member)
    {
        var row = Expression.Parameter(typeof(TRow), "row");
        var value = Expression.Parameter(typeof(TValue), "value");
        return Expression.Lambda<Action<TRow, TValue>>(Expression.Assign(Expression.MakeMemberAccess(row, member), value), row, value).Compile();
    }

    private static RowMember<TRow> Create(MemberInfo member, Type clrType)
    {
        if (((DataViewType?)NumberDataViewType.FromClrType(clrType) ?? (clrType == typeof(string) ? TextDataViewType.Instance : null)) is { } scalar)
        {
            return (RowMember<TRow>)Activator.CreateInstance(typeof(ScalarRowMember<,>).MakeGenericType(typeof(TRow), clrType), member, scalar)!;
        }

        if (clrType.IsSZArray && NumberDataViewType.FromClrType(clrType.GetElementType()!) is { } item)
        {
            var shape = member.GetCustomAttribute<VectorShapeAttribute>()?.Dimensions ?? [];
            var vector = new VectorDataViewType(item, [.. shape]);
            return (RowMember<TRow>)Activator.CreateInstance(typeof(VectorRowMember<,>).MakeGenericType(typeof(TRow), item.RawType), member, vector)!;
        }

        throw new ArgumentException(
            $"Member '{member.Name}' of {typeof(TRow).Name} has type {DataViewType.FormatClrType(clrType)}, which cannot be a column: " +
            "use a number type (byte, sbyte, short, ushort, int, uint, long, ulong, float, double), string, or a one-dimensional array of numbers.");
    }
}

/// <summary>A number- or string-typed member: a scalar column.</summary>
internal sealed class ScalarRowMember<TRow, TValue>(MemberInfo member, DataViewType type) : RowMember<TRow>(member, type)
    where TRow : class
{
    private readonly Func<TRow, TValue> _read = CompileRead<TValue>(member);
    private readonly Lazy<Action<TRow, TValue>> _write = new(() => CompileWrite<TValue>(member));

    public override Delegate CreateGetter(RowReader reader, IReadOnlyList<TRow> rows) =>
        (ValueGetter<TValue>)((ref TValue value) => value = _read(RowAt(rows, reader, Name)));

    public override Action<TRow> CreateSetter(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var getter = cursor.GetGetter<TValue>(column);
        var write = _write.Value;
        return row =>
        {
            TValue value = default!;
            getter(ref value);
            write(row, value);
        };
    }
}

/// <summary>An array-of-numbers member: a vector column, read without copying the array.</summary>
internal sealed class VectorRowMember<TRow, TItem>(MemberInfo member, VectorDataViewType type) : RowMember<TRow>(member, type)
    where TRow : class
{
    private readonly Func<TRow, TItem[]?> _read = CompileRead<TItem[]?>(member);
    private readonly Lazy<Action<TRow, TItem[]>> _write = new(() => CompileWrite<TItem[]>(member));

    public override Delegate CreateGetter(RowReader reader, IReadOnlyList<TRow> rows)
    {
        var size = ((VectorDataViewType)Type).Size;
        return (ValueGetter<ReadOnlyMemory<TItem>>)((ref ReadOnlyMemory<TItem> value) =>
        {
            var array = _read(RowAt(rows, reader, Name)) ?? throw new DataValueException(Name, reader.Row, "the array is null.");
            if (size > 0 && array.Length != size)
            {
                throw new DataValueException(Name, reader.Row, $"the array has {array.Length} values, but its shape {Type} needs {size}.");
            }

            value = array;
        });
    }

    public override Action<TRow> CreateSetter(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var getter = cursor.GetGetter<ReadOnlyMemory<TItem>>(column);
        var write = _write.Value;
        return row =>
        {
            ReadOnlyMemory<TItem> value = default;
            getter(ref value);
            write(row, value.ToArray());
        };
    }
}
