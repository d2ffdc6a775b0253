namespace MnistMl.Imaging;

/// <summary>
/// Netpbm grey maps and bitmaps: PBM (P1 plain, P4 raw; 1 = black) and PGM (P2 plain, P5 raw;
/// maxval 1–65535, raw samples of two bytes big-endian above 255). Header tokens are separated by
/// whitespace and <c>#</c> comments; a raw raster starts after one whitespace byte.
/// </summary>
internal static class PnmDecoder
{
    public static bool IsPnm(ReadOnlySpan<byte> data) =>
        data.Length >= 2 && data[0] == 'P' && data[1] is (byte)'1' or (byte)'2' or (byte)'3' or (byte)'4' or (byte)'5' or (byte)'6'
        && (data.Length == 2 || IsWhitespace(data[2]) || data[2] == '#');

    public static GrayImage Decode(ReadOnlySpan<byte> data, string name, long maxPixels = ImageDecoder.MaxPixelCount)
    {
        if (!IsPnm(data))
        {
            throw new ImageFormatException(name, "not a Netpbm file: it does not start with P1 to P6 and a separator.");
        }

        var kind = (char)data[1];
        if (kind is '3' or '6')
        {
            throw new ImageFormatException(name, $"the image is a colour PPM (P{kind}); MnistMl reads the grey PGM (P2, P5) and bitmap PBM (P1, P4) formats.");
        }

        var reader = new Reader(data, name);
        var width = reader.Number("width", int.MaxValue);
        var height = reader.Number("height", int.MaxValue);
        var bitmap = kind is '1' or '4';
        var maxValue = bitmap ? 1 : (int)reader.Number("maxval", 65535);
        if (maxValue < 1)
        {
            throw new ImageFormatException(name, "the PGM header gives maxval 0; it must be 1 to 65535.");
        }

        ImageDecoder.CheckSize(name, width, height, maxPixels);
        var leastBytes = kind switch { '1' => width * height, '2' => (2 * width * height) - 1, _ => 0 };
        if (reader.Remaining < leastBytes)
        {
            // Checked before the image is allocated: plain samples take at least a digit (and a separator) each.
            throw new ImageFormatException(name, $"truncated image: {width} × {height} plain samples need at least {leastBytes:N0} more bytes, but the file has {reader.Remaining:N0}.");
        }

        var image = new GrayImage((int)width, (int)height);
        switch (kind)
        {
            case '1':
                for (var i = 0; i < image.Pixels.Length; i++)
                {
                    image.Pixels[i] = reader.Bit(i) ? (byte)0 : (byte)255;
                }

                break;
            case '2':
                for (var i = 0; i < image.Pixels.Length; i++)
                {
                    image.Pixels[i] = GreyLevels.ToByte((int)reader.Number("sample", maxValue), maxValue);
                }

                break;
            case '4':
                var rowBytes = (image.Width + 7) / 8;
                var bits = reader.Raster((long)rowBytes * image.Height, $"{image.Width} × {image.Height} bits");
                for (var y = 0; y < image.Height; y++)
                {
                    for (var x = 0; x < image.Width; x++)
                    {
                        var black = (bits[(y * rowBytes) + (x / 8)] >> (7 - (x % 8)) & 1) == 1;
                        image.Pixels[(y * image.Width) + x] = black ? (byte)0 : (byte)255;
                    }
                }

                break;
            default:
                var wide = maxValue > 255;
                var samples = reader.Raster(image.Pixels.LongLength * (wide ? 2 : 1), $"{image.Width} × {image.Height} samples of {(wide ? 2 : 1)} byte(s)");
                for (var i = 0; i < image.Pixels.Length; i++)
                {
                    var value = wide ? (samples[2 * i] << 8) | samples[(2 * i) + 1] : samples[i];
                    image.Pixels[i] = Scale(value, maxValue, i, name);
                }

                break;
        }

        return image;
    }

    private static byte Scale(int value, int maxValue, int pixel, string name) =>
        value <= maxValue
            ? GreyLevels.ToByte(value, maxValue)
            : throw new ImageFormatException(name, $"sample {pixel} is {value}, above the header's maxval {maxValue}.");

    private static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0B or 0x0C;

    /// <summary>Reads tokens after the two-byte magic number, failing with the file's name at the end of the data.</summary>
    private ref struct Reader(ReadOnlySpan<byte> data, string name)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position = 2;

        /// <summary>Bytes after the current position.</summary>
        public readonly int Remaining => _data.Length - _position;

        /// <summary>The next decimal token, at most <paramref name="max"/>.</summary>
        public long Number(string what, long max)
        {
            SkipWhitespaceAndComments();
            var start = _position;
            long value = 0;
            while (_position < _data.Length && _data[_position] is >= (byte)'0' and <= (byte)'9')
            {
                value = (value * 10) + (_data[_position] - '0');
                _position++;
                if (value > max)
                {
                    throw new ImageFormatException(name, $"the {what} at byte {start} is larger than {max:N0}.");
                }
            }

            if (_position == start)
            {
                throw new ImageFormatException(name, _position >= _data.Length
                    ? $"truncated image: the file ends after {_data.Length} bytes, where the {what} should be."
                    : $"byte {_position} should start the {what}, a decimal number, but is 0x{_data[_position]:X2}.");
            }

            if (_position < _data.Length && !IsWhitespace(_data[_position]) && _data[_position] != '#')
            {
                throw new ImageFormatException(name, $"the {what} at byte {start} is followed by 0x{_data[_position]:X2}, not whitespace.");
            }

            return value;
        }

        /// <summary>The next '0' or '1' of a plain bitmap, whitespace and comments skipped.</summary>
        public bool Bit(int pixel)
        {
            SkipWhitespaceAndComments();
            if (_position >= _data.Length)
            {
                throw new ImageFormatException(name, $"truncated image: the file ends after {_data.Length} bytes, at pixel {pixel}.");
            }

            var b = _data[_position++];
            return b switch
            {
                (byte)'0' => false,
                (byte)'1' => true,
                _ => throw new ImageFormatException(name, $"byte {_position - 1} should be the 0 or 1 of pixel {pixel}, but is 0x{b:X2}."),
            };
        }

        /// <summary>The raw raster: <paramref name="length"/> bytes after the single whitespace byte that ends the header.</summary>
        public ReadOnlySpan<byte> Raster(long length, string what)
        {
            var start = _position + 1;
            if (start + length > _data.Length)
            {
                throw new ImageFormatException(name, $"truncated image: {what} need {length:N0} bytes from byte {start}, but the file ends after {_data.Length:N0}.");
            }

            return _data.Slice(start, (int)length);
        }

        private void SkipWhitespaceAndComments()
        {
            while (_position < _data.Length)
            {
                if (_data[_position] == '#')
                {
                    while (_position < _data.Length && _data[_position] is not ((byte)'\n' or (byte)'\r'))
                    {
                        _position++;
                    }
                }
                else if (IsWhitespace(_data[_position]))
                {
                    _position++;
                }
                else
                {
                    return;
                }
            }
        }
    }
}
