namespace MnistMl.Data;

/// <summary>
/// The element type code of an IDX file (the third byte of its magic number). MnistMl reads only
/// <see cref="UnsignedByte"/>; the other codes are listed so errors can name what a file holds.
/// </summary>
public enum IdxElementType
{
    /// <summary>Unsigned byte (code 0x08), the type of every MNIST file.</summary>
    UnsignedByte = 0x08,

    /// <summary>Signed byte (code 0x09).</summary>
    SignedByte = 0x09,

    /// <summary>Big-endian 16-bit integer (code 0x0B).</summary>
    Int16 = 0x0B,

    /// <summary>Big-endian 32-bit integer (code 0x0C).</summary>
    Int32 = 0x0C,

    /// <summary>Big-endian 32-bit float (code 0x0D).</summary>
    Single = 0x0D,

    /// <summary>Big-endian 64-bit float (code 0x0E).</summary>
    Double = 0x0E,
}
