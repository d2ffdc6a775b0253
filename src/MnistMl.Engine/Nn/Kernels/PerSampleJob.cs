namespace MnistMl.Nn.Kernels;

/// <summary>
/// Work split by sample: each index of the worker pool is one sample of the batch, so what a
/// sample's result is never depends on the thread count. Ops keep one instance and reuse it.
/// </summary>
internal abstract class PerSampleJob : IParallelBody
{
    public abstract void Invoke(int index);

    public void Run(int batch) => WorkerPool.Shared.Run(batch, this);
}
