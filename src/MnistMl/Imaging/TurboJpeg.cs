using System.Runtime.InteropServices;

namespace MnistMl.Imaging;

/// <summary>
/// The few functions of libjpeg-turbo's TurboJPEG 2.x C API that MnistMl calls, bound at run time
/// with <see cref="NativeLibrary"/> so that a missing library is an ordinary, catchable condition
/// (<see cref="TryLoad"/> returns null) rather than a <see cref="DllNotFoundException"/> at an
/// arbitrary call. Every call gets its own TurboJPEG handle, so instances are thread-safe.
/// </summary>
internal sealed unsafe class TurboJpeg
{
    /// <summary>The library on Linux (Debian/Ubuntu package <see cref="PackageName"/>).</summary>
    public const string LibraryName = "libturbojpeg.so.0";

    /// <summary>The Debian/Ubuntu package that installs <see cref="LibraryName"/>.</summary>
    public const string PackageName = "libturbojpeg0";

    private const int PixelFormatGray = 6;      // TJPF_GRAY
    private const int SubsamplingGray = 3;      // TJSAMP_GRAY
    private const int FlagAccurateDct = 4096;   // TJFLAG_ACCURATEDCT
    private const int FlagStopOnWarning = 8192; // TJFLAG_STOPONWARNING: a truncated or corrupt stream is an error, not a grey rest

    private static readonly Lazy<TurboJpeg?> System = new(() => TryLoad(
        OperatingSystem.IsWindows() ? "turbojpeg.dll" : OperatingSystem.IsMacOS() ? "libturbojpeg.0.dylib" : LibraryName));

    private readonly delegate* unmanaged<nint> _initDecompress;
    private readonly delegate* unmanaged<nint> _initCompress;
    private readonly delegate* unmanaged<nint, byte*, CULong, int*, int*, int*, int*, int> _decompressHeader3;
    private readonly delegate* unmanaged<nint, byte*, CULong, byte*, int, int, int, int, int, int> _decompress2;
    private readonly delegate* unmanaged<nint, byte*, int, int, int, int, byte**, CULong*, int, int, int, int> _compress2;
    private readonly delegate* unmanaged<byte*, void> _free;
    private readonly delegate* unmanaged<nint, byte*> _getErrorStr2;
    private readonly delegate* unmanaged<nint, int> _destroy;

    private TurboJpeg(nint library)
    {
        _initDecompress = (delegate* unmanaged<nint>)NativeLibrary.GetExport(library, "tjInitDecompress");
        _initCompress = (delegate* unmanaged<nint>)NativeLibrary.GetExport(library, "tjInitCompress");
        _decompressHeader3 = (delegate* unmanaged<nint, byte*, CULong, int*, int*, int*, int*, int>)NativeLibrary.GetExport(library, "tjDecompressHeader3");
        _decompress2 = (delegate* unmanaged<nint, byte*, CULong, byte*, int, int, int, int, int, int>)NativeLibrary.GetExport(library, "tjDecompress2");
        _compress2 = (delegate* unmanaged<nint, byte*, int, int, int, int, byte**, CULong*, int, int, int, int>)NativeLibrary.GetExport(library, "tjCompress2");
        _free = (delegate* unmanaged<byte*, void>)NativeLibrary.GetExport(library, "tjFree");
        _getErrorStr2 = (delegate* unmanaged<nint, byte*>)NativeLibrary.GetExport(library, "tjGetErrorStr2");
        _destroy = (delegate* unmanaged<nint, int>)NativeLibrary.GetExport(library, "tjDestroy");
    }

    /// <summary>The system's TurboJPEG, or null when it is not installed.</summary>
    public static TurboJpeg? Default => System.Value;

    /// <summary>Binds <paramref name="libraryName"/>; null when it cannot be loaded or lacks a function of the API.</summary>
    public static TurboJpeg? TryLoad(string libraryName)
    {
        if (!NativeLibrary.TryLoad(libraryName, out var library))
        {
            return null;
        }

        try
        {
            return new TurboJpeg(library);
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Decodes a JPEG to 8-bit grey (colour is converted by the library with BT.601 weights).</summary>
    /// <exception cref="ImageFormatException">The library rejects the data, or its size is out of bounds.</exception>
    public GrayImage DecompressGray(ReadOnlySpan<byte> jpeg, string name)
    {
        var handle = _initDecompress();
        if (handle == 0)
        {
            throw new InvalidOperationException("TurboJPEG could not create a decompressor (out of memory?).");
        }

        try
        {
            fixed (byte* source = jpeg)
            {
                int width, height, subsampling, colourspace;
                if (_decompressHeader3(handle, source, new CULong((nuint)jpeg.Length), &width, &height, &subsampling, &colourspace) != 0)
                {
                    throw Error(handle, name, "its header");
                }

                ImageDecoder.CheckSize(name, width, height);
                var image = new GrayImage(width, height);
                fixed (byte* destination = image.Pixels)
                {
                    if (_decompress2(handle, source, new CULong((nuint)jpeg.Length), destination, width, width, height, PixelFormatGray, FlagAccurateDct | FlagStopOnWarning) != 0)
                    {
                        throw Error(handle, name, "its image data");
                    }
                }

                return image;
            }
        }
        finally
        {
            _destroy(handle);
        }
    }

    /// <summary>Encodes <paramref name="image"/> as a baseline greyscale JPEG of <paramref name="quality"/> (1–100).</summary>
    public byte[] CompressGray(GrayImage image, int quality)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);
        var handle = _initCompress();
        if (handle == 0)
        {
            throw new InvalidOperationException("TurboJPEG could not create a compressor (out of memory?).");
        }

        byte* output = null;
        try
        {
            var size = default(CULong);
            fixed (byte* source = image.Pixels)
            {
                if (_compress2(handle, source, image.Width, image.Width, image.Height, PixelFormatGray, &output, &size, SubsamplingGray, quality, FlagAccurateDct) != 0)
                {
                    throw new InvalidOperationException($"TurboJPEG could not compress the image: {Marshal.PtrToStringUTF8((nint)_getErrorStr2(handle))}");
                }
            }

            return new ReadOnlySpan<byte>(output, checked((int)size.Value)).ToArray();
        }
        finally
        {
            if (output is not null)
            {
                _free(output);
            }

            _destroy(handle);
        }
    }

    private ImageFormatException Error(nint handle, string name, string part) =>
        new(name, $"libjpeg-turbo cannot decode {part}: {Marshal.PtrToStringUTF8((nint)_getErrorStr2(handle))}.");
}
