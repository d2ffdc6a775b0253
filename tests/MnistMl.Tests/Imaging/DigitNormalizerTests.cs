using MnistMl.Imaging;
using MnistMl.Tests.Data;

namespace MnistMl.Tests.Imaging;

public class DigitNormalizerTests
{
    [Theory]
    [InlineData(230, 20)]   // dark ink on light paper: inverted
    [InlineData(10, 240)]   // light ink on dark paper: kept
    public void Normalize_makes_ink_bright_on_black_whatever_its_polarity(byte paper, byte ink)
    {
        var page = Canvas(100, 80, paper);
        FillRectangle(page, 30, 20, 20, 40, ink);

        var digit = DigitNormalizer.Default.Normalize(page);

        Assert.Equal(255, digit[14, 14]);
        Assert.Equal(0, digit[0, 0]);
    }

    [Fact]
    public void Normalize_follows_a_polarity_given_in_the_options()
    {
        var page = Canvas(100, 80, paper: 230);
        FillRectangle(page, 30, 20, 20, 40, ink: 20);
        var lightOnDark = new DigitNormalizer(new DigitNormalizer.Options { Polarity = InkPolarity.LightOnDark });

        var detected = DigitNormalizer.Default.Normalize(page);
        var told = lightOnDark.Normalize(page);

        Assert.Equal((10, 20), BoxSize(InkBox(detected)));
        Assert.All(told.Pixels, p => Assert.Equal(0, p));   // told the dark bar is paper, it finds no ink brighter than the paper
    }

    [Fact]
    public void Normalize_scales_the_ink_to_fit_20_pixels_keeping_its_aspect_ratio()
    {
        var page = Canvas(300, 200, paper: 255);
        FillRectangle(page, 40, 50, 100, 50, ink: 0);  // 100 wide, 50 high

        Assert.Equal((20, 10), BoxSize(InkBox(DigitNormalizer.Default.Normalize(page))));
    }

    [Fact]
    public void Normalize_puts_the_centre_of_mass_on_pixel_14_14()
    {
        var page = Canvas(200, 200, paper: 255);
        FillRectangle(page, 20, 30, 15, 90, ink: 0);     // a heavy bar on the left ...
        FillRectangle(page, 35, 30, 40, 6, ink: 0);      // ... and a thin arm to the right: the mass is off the box's middle

        var (x, y) = CentreOfMass(DigitNormalizer.Default.Normalize(page));

        Assert.InRange(x, 13.5, 14.5);
        Assert.InRange(y, 13.5, 14.5);
    }

    [Fact]
    public void Normalize_keeps_the_digit_inside_the_field_when_centring_by_mass_would_push_it_out()
    {
        var page = Canvas(200, 200, paper: 255);
        FillRectangle(page, 10, 10, 20, 100, ink: 0);     // a block whose mass sits at the far left ...
        FillRectangle(page, 30, 10, 80, 2, ink: 0);       // ... of a box widened to 100 pixels by a hairline

        var digit = DigitNormalizer.Default.Normalize(page);

        var (left, _, right, _) = InkBox(digit);
        Assert.Equal(27, right);                         // shifted as far right as the field allows
        Assert.Equal(8, left);
    }

    [Fact]
    public void Normalize_antialiases_edges_when_shrinking()
    {
        var page = Canvas(233, 233, paper: 255);
        FillDisc(page, 116, 116, 100, ink: 0);

        var digit = DigitNormalizer.Default.Normalize(page);

        Assert.Contains(digit.Pixels, p => p is > 20 and < 235);
    }

    [Fact]
    public void Normalize_ignores_isolated_specks_outside_the_digit()
    {
        var clean = Canvas(200, 200, paper: 240);
        FillRectangle(clean, 80, 60, 30, 80, ink: 10);
        var specked = Canvas(200, 200, paper: 240);
        FillRectangle(specked, 80, 60, 30, 80, ink: 10);
        foreach (var (x, y) in new[] { (3, 3), (190, 20), (20, 180), (150, 150) })
        {
            specked[x, y] = 0;
        }

        Assert.Equal(DigitNormalizer.Default.Normalize(clean).Pixels, DigitNormalizer.Default.Normalize(specked).Pixels);
    }

    [Fact]
    public void Normalize_clears_noisy_shaded_paper_to_black()
    {
        var random = new Random(2);
        var page = Canvas(240, 200, paper: 0);
        for (var y = 0; y < page.Height; y++)
        {
            for (var x = 0; x < page.Width; x++)
            {
                page[x, y] = (byte)Math.Clamp(190 + (x / 8) + random.Next(-12, 13), 0, 255);   // a 30-level shading and noise
            }
        }

        FillRectangle(page, 100, 50, 30, 100, ink: 40);

        var digit = DigitNormalizer.Default.Normalize(page);

        Assert.Equal((6, 20), BoxSize(InkBox(digit)));
    }

    [Fact]
    public void Normalize_gives_a_black_image_for_a_blank_page()
    {
        var digit = DigitNormalizer.Default.Normalize(Canvas(50, 50, paper: 200));

        Assert.Equal((28, 28), (digit.Width, digit.Height));
        Assert.All(digit.Pixels, p => Assert.Equal(0, p));
    }

    [Fact]
    public void Normalize_remakes_mnist_digits_close_to_how_mnist_made_them()
    {
        // Renormalising a digit MNIST already normalised should nearly reproduce it.
        var test = MnistTestData.Test;
        var correlations = Enumerable.Range(0, 200).Select(i =>
        {
            var original = test.GetImage(i).ToArray();
            var again = DigitNormalizer.Default.Normalize(new GrayImage(28, 28, original.ToArray())).Pixels;
            return Correlation(original, again);
        }).ToArray();

        Assert.True(correlations.Average() > 0.95, $"mean correlation {correlations.Average():F3}, lowest {correlations.Min():F3}");
    }

    [Fact]
    public void The_ink_bounds_search_agrees_with_a_pixel_by_pixel_reference()
    {
        var random = new Random(3);
        for (var trial = 0; trial < 400; trial++)
        {
            var (width, height) = (random.Next(1, 40), random.Next(1, 40));
            var density = random.NextDouble() * 0.3;
            var pixels = new byte[width * height];
            for (var i = 0; i < pixels.Length; i++)
            {
                pixels[i] = random.NextDouble() < density ? (byte)random.Next(1, 256) : (byte)0;
            }

            Assert.Equal(ReferenceInkBounds(pixels, width, height), DigitNormalizer.InkBounds(pixels, width, height));
        }
    }

    /// <summary>Every pixel looked at: the box of the non-zero pixels with a non-zero pixel among their 8 neighbours.</summary>
    private static (int Left, int Top, int Right, int Bottom)? ReferenceInkBounds(byte[] pixels, int width, int height)
    {
        (int Left, int Top, int Right, int Bottom)? box = null;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var neighbour = false;
                for (var dy = -1; dy <= 1; dy++)
                {
                    for (var dx = -1; dx <= 1; dx++)
                    {
                        var (nx, ny) = (x + dx, y + dy);
                        neighbour |= (dx, dy) != (0, 0) && nx >= 0 && ny >= 0 && nx < width && ny < height && pixels[(ny * width) + nx] > 0;
                    }
                }

                if (pixels[(y * width) + x] > 0 && neighbour)
                {
                    box = box is var (l, t, r, b) ? (Math.Min(l, x), Math.Min(t, y), Math.Max(r, x), Math.Max(b, y)) : (x, y, x, y);
                }
            }
        }

        return box;
    }

    [Fact]
    public void Options_out_of_range_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DigitNormalizer(new DigitNormalizer.Options { InkThreshold = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DigitNormalizer(new DigitNormalizer.Options { FitSize = 29 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DigitNormalizer(new DigitNormalizer.Options { Polarity = (InkPolarity)7 }));
    }

    internal static GrayImage Canvas(int width, int height, byte paper)
    {
        var image = new GrayImage(width, height);
        Array.Fill(image.Pixels, paper);
        return image;
    }

    internal static void FillRectangle(GrayImage image, int left, int top, int width, int height, byte ink)
    {
        for (var y = top; y < top + height; y++)
        {
            for (var x = left; x < left + width; x++)
            {
                image[x, y] = ink;
            }
        }
    }

    private static void FillDisc(GrayImage image, int cx, int cy, int radius, byte ink)
    {
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                if (((x - cx) * (x - cx)) + ((y - cy) * (y - cy)) <= radius * radius)
                {
                    image[x, y] = ink;
                }
            }
        }
    }

    private static (int Left, int Top, int Right, int Bottom) InkBox(GrayImage digit)
    {
        var ink = Enumerable.Range(0, digit.Pixels.Length).Where(i => digit.Pixels[i] > 0).ToArray();
        return (ink.Min(i => i % 28), ink.Min(i => i / 28), ink.Max(i => i % 28), ink.Max(i => i / 28));
    }

    private static (int Width, int Height) BoxSize((int Left, int Top, int Right, int Bottom) box) =>
        (box.Right - box.Left + 1, box.Bottom - box.Top + 1);

    private static (double X, double Y) CentreOfMass(GrayImage digit)
    {
        double mass = 0, x = 0, y = 0;
        for (var i = 0; i < digit.Pixels.Length; i++)
        {
            mass += digit.Pixels[i];
            x += digit.Pixels[i] * (i % 28);
            y += digit.Pixels[i] * (i / 28);
        }

        return (x / mass, y / mass);
    }

    private static double Correlation(byte[] a, byte[] b)
    {
        double ma = a.Average(v => (double)v), mb = b.Average(v => (double)v);
        double sab = 0, saa = 0, sbb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }

        return sab / Math.Sqrt(saa * sbb);
    }
}
