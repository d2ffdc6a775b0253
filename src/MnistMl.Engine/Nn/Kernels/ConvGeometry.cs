namespace MnistMl.Nn.Kernels;

/// <summary>Sizes of a 2-D convolution or pooling window over an NHWC input, with Keras's padding rules.</summary>
internal readonly record struct ConvGeometry(
    int Height, int Width, int Channels, int KernelHeight, int KernelWidth, int StrideHeight, int StrideWidth,
    int PadTop, int PadLeft, int OutputHeight, int OutputWidth)
{
    public static ConvGeometry Create(int[] inputShape, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth, Padding padding)
    {
        var (h, w, c) = (inputShape[0], inputShape[1], inputShape[2]);

        // In long: sizes read from a model file may be anywhere in int's range, and must not wrap.
        long oh, ow, padTop = 0, padLeft = 0;
        if (padding == Padding.Valid)
        {
            oh = h < kernelHeight ? 0 : (((long)h - kernelHeight) / strideHeight) + 1;
            ow = w < kernelWidth ? 0 : (((long)w - kernelWidth) / strideWidth) + 1;
        }
        else
        {
            // TensorFlow's 'same': output = ceil(input / stride); odd padding goes to the bottom/right.
            oh = ((long)h + strideHeight - 1) / strideHeight;
            ow = ((long)w + strideWidth - 1) / strideWidth;
            padTop = Math.Max(((oh - 1) * strideHeight) + kernelHeight - h, 0) / 2;
            padLeft = Math.Max(((ow - 1) * strideWidth) + kernelWidth - w, 0) / 2;
        }

        if (oh < 1 || ow < 1)
        {
            throw new ArgumentException(
                $"A {kernelHeight}×{kernelWidth} window does not fit an input of {Shapes.FormatWithBatch(inputShape)} with 'valid' padding.");
        }

        return new ConvGeometry(h, w, c, kernelHeight, kernelWidth, strideHeight, strideWidth, (int)padTop, (int)padLeft, (int)oh, (int)ow);
    }

    public int InputSize => Height * Width * Channels;

    public int OutputPixels => OutputHeight * OutputWidth;

    /// <summary>Length of one im2col row: <c>KH·KW·C</c>, ordered (kh, kw, c) like Keras's kernel.</summary>
    public int PatchSize => KernelHeight * KernelWidth * Channels;
}
