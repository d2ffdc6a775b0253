using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using MnistMl.Imaging;

namespace MnistMl.Hosting;

/// <summary>
/// Reads the images of a prediction request, whatever form they come in: an image file
/// (<c>image/*</c>, made MNIST-like as <c>mnistml predict</c> does), JSON grey levels
/// (<c>{"pixels": [784 numbers]}</c>, or a list of such lists for a batch), raw grey-level bytes
/// (<c>application/octet-stream</c>, 784 per image), or, for a batch, a multipart form of image
/// files. No more than the limit is ever read; every refusal says why.
/// </summary>
internal static class PredictionRequest
{
    private const int Pixels = DigitImage.Size * DigitImage.Size;

    public static async Task<IReadOnlyList<DigitImage>> ReadAsync(HttpRequest request, ServingOptions limits, bool batch, CancellationToken cancellationToken)
    {
        var mediaType = MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) ? parsed.MediaType.Value ?? string.Empty : string.Empty;
        if (batch && mediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return await ReadFormAsync(request, limits, cancellationToken).ConfigureAwait(false);
        }

        var body = await ReadBodyAsync(request, limits, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<DigitImage> images = mediaType switch
        {
            _ when mediaType.StartsWith("image/", StringComparison.OrdinalIgnoreCase) && !batch => [new PictureBudget(limits).Decode(body, "the image")],
            "application/json" => FromJson(body, batch),
            "application/octet-stream" => FromGreyLevels(body, batch),
            _ => throw new RequestException(
                StatusCodes.Status415UnsupportedMediaType,
                "Unsupported media type",
                $"Send {(batch ? "a multipart form of image files, JSON {\"pixels\": [[784 grey levels], ...]} or application/octet-stream (784 grey-level bytes per image)" : "an image (image/png, image/jpeg, ...), JSON {\"pixels\": [784 grey levels]} or application/octet-stream (784 grey-level bytes)")}; this request is '{(mediaType.Length == 0 ? "without a Content-Type" : mediaType)}'."),
        };
        return CheckCount(images, limits);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, ServingOptions limits, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limits.MaxRequestBytes)
        {
            throw TooLarge(limits);
        }

        using var body = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (body.Length + read > limits.MaxRequestBytes)
            {
                throw TooLarge(limits);
            }

            body.Write(buffer, 0, read);
        }

        return body.Length > 0 ? body.ToArray() : throw BadRequest("The request has no body: send the picture or the grey levels.");
    }

    private static async Task<IReadOnlyList<DigitImage>> ReadFormAsync(HttpRequest request, ServingOptions limits, CancellationToken cancellationToken)
    {
        // Bounded here, so the form reader's own limits need not refuse anything: they would turn a
        // batch of more than 1,024 files into an error told apart from a malformed form only by its text.
        request.Body = new MemoryStream(await ReadBodyAsync(request, limits, cancellationToken).ConfigureAwait(false), writable: false);
        IFormCollection form;
        try
        {
            var options = new Microsoft.AspNetCore.Http.Features.FormOptions { MultipartBodyLengthLimit = long.MaxValue, ValueCountLimit = int.MaxValue, ValueLengthLimit = int.MaxValue };
            form = await request.ReadFormAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            throw BadRequest($"The multipart form cannot be read: {ex.Message}");
        }

        if (form.Files.Count == 0)
        {
            throw BadRequest("The form holds no files: send one image file per digit.");
        }

        // Counted before anything is decoded: decoding is where a request's cost lies.
        if (form.Files.Count > limits.MaxBatchImages)
        {
            throw TooMany(limits);
        }

        var images = new List<DigitImage>(form.Files.Count);
        var budget = new PictureBudget(limits);
        foreach (var file in form.Files)
        {
            using var content = new MemoryStream();
            await file.CopyToAsync(content, cancellationToken).ConfigureAwait(false);
            images.Add(budget.Decode(content.ToArray(), $"file '{file.FileName}'"));
        }

        return images;
    }

    private static IReadOnlyList<DigitImage> FromJson(byte[] body, bool batch)
    {
        JsonElement pixels;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("pixels", out var found))
            {
                throw BadRequest(batch ? "Send {\"pixels\": [[784 grey levels], ...]}." : "Send {\"pixels\": [784 grey levels]}.");
            }

            pixels = found.Clone();
        }
        catch (JsonException ex)
        {
            throw BadRequest($"The body is not valid JSON: {ex.Message}");
        }

        if (!batch)
        {
            return [FromPixelArray(pixels, "pixels")];
        }

        if (pixels.ValueKind != JsonValueKind.Array)
        {
            throw BadRequest("\"pixels\" must be a list of images, each a list of 784 grey levels.");
        }

        return [.. pixels.EnumerateArray().Select((image, i) => FromPixelArray(image, $"pixels[{i}]"))];
    }

    private static DigitImage FromPixelArray(JsonElement values, string name)
    {
        if (values.ValueKind != JsonValueKind.Array || values.GetArrayLength() != Pixels)
        {
            throw BadRequest($"\"{name}\" must be a list of {Pixels} grey levels (0–255, row by row).");
        }

        var floats = new float[Pixels];
        var i = 0;
        foreach (var value in values.EnumerateArray())
        {
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetSingle(out floats[i]))
            {
                throw BadRequest($"\"{name}\"[{i}] is not a number.");
            }

            i++;
        }

        try
        {
            return DigitImage.FromPixels(floats);
        }
        catch (ArgumentException ex)
        {
            throw BadRequest($"\"{name}\": {ex.Message.Split(" (Parameter", 2)[0]}");
        }
    }

    private static IReadOnlyList<DigitImage> FromGreyLevels(byte[] body, bool batch)
    {
        if (body.Length % Pixels != 0 || (!batch && body.Length != Pixels))
        {
            throw BadRequest($"Raw grey levels come as {Pixels} bytes per image{(batch ? string.Empty : ", one image")}; the body has {body.Length:N0}.");
        }

        return [.. Enumerable.Range(0, body.Length / Pixels).Select(i => DigitImage.FromPixels(body.AsSpan(i * Pixels, Pixels)))];
    }

    private static IReadOnlyList<DigitImage> CheckCount(IReadOnlyList<DigitImage> images, ServingOptions limits) =>
        images.Count <= limits.MaxBatchImages ? images : throw TooMany(limits);

    private static RequestException TooMany(ServingOptions limits) =>
        new(StatusCodes.Status413PayloadTooLarge, "Too many images", $"A batch holds at most {limits.MaxBatchImages:N0} images.");

    /// <summary>
    /// The pixels a request's pictures may still have: each picture at most
    /// <see cref="ServingOptions.MaxPicturePixels"/>, all of them at most
    /// <see cref="ServingOptions.MaxRequestPixels"/>, both read from headers before decoding — a
    /// few KiB of PNG can declare millions of pixels, and decoding them is what costs.
    /// </summary>
    private sealed class PictureBudget(ServingOptions limits)
    {
        private long _left = limits.MaxRequestPixels;

        public DigitImage Decode(byte[] encoded, string what)
        {
            var named = $"{char.ToUpperInvariant(what[0])}{what[1..]}";
            GrayImage picture;
            try
            {
                picture = ImageDecoder.Decode(encoded, what, Math.Clamp(Math.Min(limits.MaxPicturePixels, _left), 1, ImageDecoder.MaxPixelCount));
            }
            catch (ImageTooLargeException ex) when (ex.Width * ex.Height > limits.MaxPicturePixels)
            {
                throw new RequestException(
                    StatusCodes.Status413PayloadTooLarge, "Picture too large", $"{named} is {ex.Width:N0} × {ex.Height:N0} pixels; a picture may have at most {limits.MaxPicturePixels:N0}.");
            }
            catch (ImageTooLargeException)
            {
                throw new RequestException(
                    StatusCodes.Status413PayloadTooLarge, "Pictures too large", $"The pictures of this request have more than the {limits.MaxRequestPixels:N0} pixels a request may have in all ({named} passed it).");
            }
            catch (ImageFormatException ex)
            {
                throw BadRequest($"{named} cannot be read: {ex.Reason}");
            }

            _left -= picture.Width * (long)picture.Height;
            try
            {
                return DigitImage.FromImage(picture);
            }
            catch (ImageFormatException ex)
            {
                throw BadRequest($"{named} cannot be read: {ex.Reason}");
            }
        }
    }

    private static RequestException TooLarge(ServingOptions limits) =>
        new(StatusCodes.Status413PayloadTooLarge, "Request too large", $"The body is larger than the {limits.MaxRequestBytes:N0} bytes a request may have.");

    private static RequestException BadRequest(string detail) => new(StatusCodes.Status400BadRequest, "Bad request", detail);
}
