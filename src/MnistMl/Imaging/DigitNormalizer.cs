using System.Numerics.Tensors;

namespace MnistMl.Imaging;

/// <summary>
/// Turns a picture of one handwritten digit into an MNIST-style 28 × 28 image, the way MNIST's
/// authors made theirs from NIST's scans:
/// <list type="number">
/// <item>Ink is made bright on black: dark ink on light paper (the border's median grey is
/// brighter than the mean) is inverted (<see cref="Options.Polarity"/>).</item>
/// <item>Paper is cleared: the background level (the border's median, or the whole image's if
/// darker) and the ink level (the
/// median of the pixels nearer the brightest than the background) are found, and grey levels are
/// stretched so that everything within <see cref="Options.InkThreshold"/> of the background
/// becomes 0 and the ink level becomes 255. Noise, shading and JPEG ringing on the paper vanish.</item>
/// <item>The image is cropped to the ink's bounding box, ignoring isolated specks (ink pixels with
/// no ink among their 8 neighbours).</item>
/// <item>The crop is scaled to fit a <see cref="Options.FitSize"/> (20) pixel square, keeping its
/// aspect ratio, by area averaging — which gives the anti-aliased grey edges MNIST has.</item>
/// <item>It is pasted into the 28 × 28 field so that its centre of mass falls on pixel (14, 14),
/// as in MNIST (the mean centre of mass of MNIST's digits is (14.0, 14.0) in pixel indices),
/// shifted back inside the field if that would push it over an edge.</item>
/// </list>
/// A picture without ink (a blank page) gives a black image.
/// <code>
/// var digit = DigitNormalizer.Default.Normalize(ImageDecoder.Decode("photo.jpg"));
/// File.WriteAllBytes("as-mnist.png", PngEncoder.Encode(digit));   // to look at what the model sees
/// </code>
/// </summary>
public sealed class DigitNormalizer
{
    /// <summary>Pixels per side of the output, as in MNIST.</summary>
    public const int OutputSize = 28;

    /// <summary>Where the centre of mass is put, in pixel indices, on both axes.</summary>
    public const double CenterOfMass = 14.0;

    private readonly Options _options;

    /// <summary>A normaliser with <paramref name="options"/> (copied); the defaults when null.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public DigitNormalizer(Options? options = null)
    {
        options ??= new Options();
        if (!(options.InkThreshold is >= 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.InkThreshold, "InkThreshold must be at least 0 and below 1.");
        }

        if (options.FitSize is < 1 or > OutputSize)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.FitSize, $"FitSize must be 1 to {OutputSize}.");
        }

        if (!Enum.IsDefined(options.Polarity))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Polarity, "Polarity must be Auto, DarkOnLight or LightOnDark.");
        }

        _options = new Options { Polarity = options.Polarity, InkThreshold = options.InkThreshold, FitSize = options.FitSize };
    }

    /// <summary>A normaliser with the default options.</summary>
    public static DigitNormalizer Default { get; } = new();

    /// <summary>The polarity it assumes or detects.</summary>
    public InkPolarity Polarity => _options.Polarity;

    /// <summary>The fraction of the background-to-ink range that still counts as paper.</summary>
    public double InkThreshold => _options.InkThreshold;

    /// <summary>The side of the square the digit is scaled to fit.</summary>
    public int FitSize => _options.FitSize;

    /// <summary>
    /// Whether <paramref name="image"/> looks like dark ink on light paper: the median grey of its
    /// border is brighter than its mean (ink is the minority, so it pulls the mean its way).
    /// </summary>
    public static bool IsDarkOnLight(GrayImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var histogram = new int[256];
        long sum = 0;
        foreach (var p in image.Pixels)
        {
            sum += p;
        }

        var border = BorderMedian(image.Pixels, image.Width, image.Height, histogram);
        return border * (long)image.Pixels.Length > sum;
    }

    /// <summary>The MNIST-style 28 × 28 image of the digit in <paramref name="image"/>: ink bright (up to 255) on black (0).</summary>
    public GrayImage Normalize(GrayImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var (width, height) = (image.Width, image.Height);
        var invert = Inverts(image);
        var ink = new byte[image.Pixels.Length];
        if (invert)
        {
            TensorPrimitives.OnesComplement(image.Pixels, ink);   // 255 − p for a byte
        }
        else
        {
            image.Pixels.CopyTo(ink);
        }

        ClearPaper(ink, width, height);
        var output = new GrayImage(OutputSize, OutputSize);
        if (InkBounds(ink, width, height) is not var (left, top, right, bottom))
        {
            return output;
        }

        var (cropWidth, cropHeight) = (right - left + 1, bottom - top + 1);
        var scale = (double)_options.FitSize / Math.Max(cropWidth, cropHeight);
        var fitWidth = Math.Clamp((int)Math.Round(cropWidth * scale), 1, _options.FitSize);
        var fitHeight = Math.Clamp((int)Math.Round(cropHeight * scale), 1, _options.FitSize);
        var digit = AreaResampler.Resize(ink.AsSpan((top * width) + left), width, cropWidth, cropHeight, fitWidth, fitHeight);
        Paste(digit, fitWidth, fitHeight, output);
        return output;
    }

    /// <summary>Whether this normaliser inverts <paramref name="image"/>: as its polarity says, or when detected as dark on light.</summary>
    internal bool Inverts(GrayImage image) => _options.Polarity switch
    {
        InkPolarity.DarkOnLight => true,
        InkPolarity.LightOnDark => false,
        _ => IsDarkOnLight(image),
    };

    /// <summary>
    /// Stretches grey levels (ink bright) in place from the paper to the ink: levels up to
    /// background + threshold × (ink − background) become 0, the ink level and above 255.
    /// </summary>
    private void ClearPaper(byte[] ink, int width, int height)
    {
        var histogram = new int[256];
        var border = BorderMedian(ink, width, height, histogram);
        Array.Clear(histogram);
        foreach (var p in ink)
        {
            histogram[p]++;
        }

        // Paper is dark now; a border darkened or lit by a frame, shadow or page edge is overruled by the whole image's median.
        var background = Math.Min(border, Median(histogram, ink.Length));

        // The brightest level that a few pixels reach (so that a handful of hot pixels do not count), ...
        var few = Math.Max(1, ink.Length / 5000);
        int brightest = 255, reached = 0;
        while (brightest > 0 && (reached += histogram[brightest]) < few)
        {
            brightest--;
        }

        // ... and the typical ink level: the median of the pixels nearer to it than to the background.
        var middle = (background + brightest + 1) / 2;
        long inkPixels = 0;
        for (var level = middle; level <= 255; level++)
        {
            inkPixels += histogram[level];
        }

        int inkLevel = 255;
        long seen = 0;
        for (var level = middle; level <= 255; level++)
        {
            seen += histogram[level];
            if (2 * seen >= inkPixels)
            {
                inkLevel = level;
                break;
            }
        }

        var low = background + (_options.InkThreshold * (inkLevel - background));
        var range = inkLevel - low;
        if (inkLevel <= background || range <= 0)
        {
            Array.Clear(ink);
            return;
        }

        Span<byte> stretch = stackalloc byte[256];
        for (var level = 0; level < 256; level++)
        {
            stretch[level] = (byte)Math.Round(Math.Clamp((level - low) / range, 0, 1) * 255);
        }

        for (var i = 0; i < ink.Length; i++)
        {
            ink[i] = stretch[ink[i]];
        }
    }

    /// <summary>The bounding box of the ink pixels that have ink among their 8 neighbours; null when there are none.</summary>
    internal static (int Left, int Top, int Right, int Bottom)? InkBounds(byte[] pixels, int width, int height)
    {
        // Row by row, the first and the last such pixel are all that count; the vectorised search
        // skips the paper between strokes, and only ink pixels have their neighbours looked at.
        int left = width, top = height, right = -1, bottom = -1;
        for (var y = 0; y < height; y++)
        {
            var row = pixels.AsSpan(y * width, width);
            var first = -1;
            for (var x = row.IndexOfAnyExcept((byte)0); x >= 0; x = NextInk(row, x + 1))
            {
                if (HasInkNeighbour(pixels, width, height, x, y))
                {
                    first = x;
                    break;
                }
            }

            if (first < 0)
            {
                continue;
            }

            var last = first;
            for (var x = row.LastIndexOfAnyExcept((byte)0); x > first; x = row[..x].LastIndexOfAnyExcept((byte)0))
            {
                if (HasInkNeighbour(pixels, width, height, x, y))
                {
                    last = x;
                    break;
                }
            }

            (left, right) = (Math.Min(left, first), Math.Max(right, last));
            (top, bottom) = (Math.Min(top, y), y);
        }

        return right < 0 ? null : (left, top, right, bottom);
    }

    /// <summary>The next ink pixel of <paramref name="row"/> at or after <paramref name="from"/>, or −1.</summary>
    private static int NextInk(ReadOnlySpan<byte> row, int from)
    {
        var next = row[from..].IndexOfAnyExcept((byte)0);
        return next < 0 ? -1 : from + next;
    }

    private static bool HasInkNeighbour(byte[] pixels, int width, int height, int x, int y)
    {
        for (var ny = Math.Max(0, y - 1); ny <= Math.Min(height - 1, y + 1); ny++)
        {
            for (var nx = Math.Max(0, x - 1); nx <= Math.Min(width - 1, x + 1); nx++)
            {
                if ((nx != x || ny != y) && pixels[(ny * width) + nx] > 0)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Pastes the scaled digit so that its centre of mass lands on (14, 14), kept inside the field.</summary>
    private static void Paste(float[] digit, int width, int height, GrayImage output)
    {
        double mass = 0, sumX = 0, sumY = 0;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var v = digit[(y * width) + x];
                mass += v;
                sumX += v * x;
                sumY += v * y;
            }
        }

        var (centreX, centreY) = mass > 0 ? (sumX / mass, sumY / mass) : ((width - 1) / 2.0, (height - 1) / 2.0);
        var left = Math.Clamp((int)Math.Round(CenterOfMass - centreX, MidpointRounding.AwayFromZero), 0, OutputSize - width);
        var top = Math.Clamp((int)Math.Round(CenterOfMass - centreY, MidpointRounding.AwayFromZero), 0, OutputSize - height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                output[left + x, top + y] = (byte)Math.Clamp(MathF.Round(digit[(y * width) + x]), 0, 255);
            }
        }
    }

    /// <summary>The median grey of the image's border: a frame 1/32 of the shorter side thick (at least one pixel).</summary>
    private static int BorderMedian(byte[] pixels, int width, int height, int[] histogram)
    {
        var thickness = Math.Max(1, Math.Min(width, height) / 32);
        long count = 0;
        void Count(ReadOnlySpan<byte> run)
        {
            foreach (var p in run)
            {
                histogram[p]++;
            }

            count += run.Length;
        }

        for (var y = 0; y < height; y++)
        {
            var row = pixels.AsSpan(y * width, width);
            if (y < thickness || y >= height - thickness || 2 * thickness >= width)
            {
                Count(row);
            }
            else
            {
                Count(row[..thickness]);
                Count(row[^thickness..]);
            }
        }

        return Median(histogram, count);
    }

    private static int Median(int[] histogram, long count)
    {
        long seen = 0;
        for (var level = 0; level < 256; level++)
        {
            seen += histogram[level];
            if (2 * seen >= count)
            {
                return level;
            }
        }

        return 255;
    }

    /// <summary>How to normalise.</summary>
    public sealed class Options
    {
        /// <summary>Whether ink is dark on light paper (inverted), light on dark (kept), or detected. Default <see cref="InkPolarity.Auto"/>.</summary>
        public InkPolarity Polarity { get; set; } = Defaults.Polarity;

        /// <summary>
        /// The fraction of the range from the paper's grey to the ink's grey below which a pixel is
        /// paper (set to 0), in [0, 1). Raise it for noisy or shaded photos; lower it for faint
        /// pencil. Default 0.25.
        /// </summary>
        public double InkThreshold { get; set; } = Defaults.InkThreshold;

        /// <summary>The side of the square the digit's bounding box is scaled to fit, 1–28. Default 20, as in MNIST.</summary>
        public int FitSize { get; set; } = Defaults.FitSize;

        /// <summary>The defaults of the options.</summary>
        public static class Defaults
        {
            /// <summary>Detect the polarity.</summary>
            public const InkPolarity Polarity = InkPolarity.Auto;

            /// <summary>A quarter of the way from paper to ink.</summary>
            public const double InkThreshold = 0.25;

            /// <summary>MNIST's 20-pixel box.</summary>
            public const int FitSize = 20;
        }
    }
}
