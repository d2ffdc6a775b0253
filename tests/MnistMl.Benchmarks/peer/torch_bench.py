#!/usr/bin/python3
"""PyTorch twin of `mnistml bench`: the same four MnistMl presets, trained with the same recipes.

Usage:
    /usr/bin/python3 torch_bench.py --preset cnn|mlp|cnn64|dnn [--data DIR] [--epochs N]
        [--train-limit N] [--threads 2] [--seed 0] [--infer]

DIR holds the four MNIST IDX files (gzip or raw); default $MNISTML_DATA. Prints one line per
epoch and, as the LAST line, one JSON object whose keys match `mnistml bench --json` (preset,
epochs, threads, trainSamples, testAccuracy, testLoss, epochSeconds, epochSecondsMedian,
samplesPerSecond, peakMemoryMB, seed) plus fwdMacsPerImage, achievedGflops, torch, blas,
allocator and, with --infer, inferBatch1Ms and inferBatch1000ImagesPerSecond.

The recipes (src/MnistMl/Training/ModelPreset.cs), in PyTorch terms:
  * 'valid' 3x3 convolutions; glorot-uniform kernels and zero biases (Keras's defaults, not
    PyTorch's); the softmax output and categorical cross-entropy become CrossEntropyLoss on
    logits (the same function, fused as MnistMl fuses it);
  * Adam(lr 1e-3, eps 1e-7) or RMSprop(lr 1e-3, alpha 0.9, eps 1e-7): Keras's defaults;
  * a fresh shuffle every epoch, the last partial batch kept;
  * dnn: validation split 0.1 = the last 10% of the (limited) training set, cut before
    shuffling, evaluated after each epoch outside the timed part.
Timing matches MnistMl's epoch clock: from after the shuffle to the last optimizer step; it
includes gathering each batch, forward, loss, backward, the step and counting correct answers.
Tensors are NCHW, so the flatten order differs from MnistMl's NHWC: irrelevant from scratch.

Speed needs (see compare.sh): Debian's libopenblas0-openmp as the BLAS (the reference BLAS is
~20x slower), tcmalloc preloaded (LD_PRELOAD=.../libtcmalloc_minimal.so.4), 2 threads.
"""
import argparse
import gzip
import json
import os
import resource
import statistics
import sys
import time

PRESETS = ("cnn", "mlp", "cnn64", "dnn")


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--preset", required=True, choices=PRESETS)
    p.add_argument("--data", default=os.environ.get("MNISTML_DATA"),
                   help="folder of the four MNIST IDX files (default: $MNISTML_DATA)")
    p.add_argument("--epochs", type=int, help="epochs (default: the preset's)")
    p.add_argument("--train-limit", type=int, help="train on the first N training images only")
    p.add_argument("--threads", type=int, default=2, help="intra-op threads (default 2)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--infer", action="store_true",
                   help="also time inference: batch-1 median latency, batch-1000 throughput")
    a = p.parse_args()
    if not a.data:
        p.error("no data folder: pass --data DIR or set MNISTML_DATA")
    if a.epochs is not None and a.epochs < 0:
        p.error("--epochs must be zero or more")
    if a.train_limit is not None and a.train_limit < 1:
        p.error("--train-limit must be at least 1")
    if a.threads < 1:
        p.error("--threads must be at least 1")
    return a


args = parse_args()
# OpenBLAS and OpenMP read this once, when torch loads them: set it before the import.
os.environ["OMP_NUM_THREADS"] = str(args.threads)

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

torch.set_num_threads(args.threads)


# ---------------------------------------------------------------- data

def read_idx(folder, stem):
    """One IDX file (stem.gz or stem) as a numpy array of its declared shape."""
    for name, opener in ((stem + ".gz", gzip.open), (stem, open)):
        path = os.path.join(folder, name)
        if os.path.exists(path):
            with opener(path, "rb") as f:
                raw = f.read()
            break
    else:
        sys.exit(f"torch_bench: {stem}(.gz) not found in {folder}")
    if raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:
        sys.exit(f"torch_bench: {path} is not an unsigned-byte IDX file")
    rank = raw[3]
    shape = tuple(int.from_bytes(raw[4 + 4 * d: 8 + 4 * d], "big") for d in range(rank))
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * rank).reshape(shape)


def load_split(folder, prefix, limit=None):
    images = read_idx(folder, f"{prefix}-images-idx3-ubyte")
    labels = read_idx(folder, f"{prefix}-labels-idx1-ubyte")
    if limit is not None:
        images, labels = images[:limit], labels[:limit]
    x = torch.from_numpy(images.astype(np.float32) / np.float32(255.0)).reshape(-1, 1, 28, 28)
    y = torch.from_numpy(labels.astype(np.int64))
    return x.contiguous(), y


# ---------------------------------------------------------------- models and recipes

def build(preset):
    """(network, optimizer factory, batch size, default epochs, validation split)."""
    adam = lambda ps: torch.optim.Adam(ps, lr=1e-3, betas=(0.9, 0.999), eps=1e-7)  # noqa: E731
    rmsprop = lambda ps: torch.optim.RMSprop(ps, lr=1e-3, alpha=0.9, eps=1e-7)  # noqa: E731
    if preset == "cnn":
        net = nn.Sequential(
            nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3), nn.ELU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Dropout(0.5), nn.Linear(64 * 5 * 5, 10))
        return net, adam, 128, 15, 0.0
    if preset == "mlp":
        net = nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 10))
        return net, rmsprop, 128, 5, 0.0
    if preset == "cnn64":
        net = nn.Sequential(
            nn.Conv2d(1, 64, 3), nn.ReLU(), nn.Conv2d(64, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(32 * 12 * 12, 10))
        return net, adam, 32, 10, 0.0
    net = nn.Sequential(
        nn.Flatten(), nn.Linear(784, 50), nn.ReLU(), nn.Linear(50, 50), nn.ReLU(), nn.Linear(50, 10))
    return net, adam, 100, 10, 0.1


def keras_init(net):
    """Glorot-uniform kernels, zero biases. PyTorch's fans for a conv kernel (in·kh·kw, out·kh·kw)
    are Keras's, so xavier_uniform_ draws from the same range."""
    for m in net.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)


def forward_macs(net):
    """Forward multiply-adds per image, summed over the conv and dense layers."""
    total = 0
    x = torch.zeros(1, 1, 28, 28)
    with torch.no_grad():
        for m in net:
            y = m(x)
            if isinstance(m, nn.Conv2d):
                total += y.numel() * m.in_channels * m.kernel_size[0] * m.kernel_size[1]
            elif isinstance(m, nn.Linear):
                total += m.in_features * m.out_features
            x = y
    return total


@torch.no_grad()
def evaluate(net, x, y, batch=1000):
    net.eval()
    loss_sum, correct = 0.0, 0
    for i in range(0, len(x), batch):
        logits = net(x[i:i + batch])
        loss_sum += nn.functional.cross_entropy(logits, y[i:i + batch], reduction="sum").item()
        correct += int((logits.argmax(1) == y[i:i + batch]).sum())
    return loss_sum / len(x), correct / len(x)


# ---------------------------------------------------------------- environment facts

def loaded_libraries(*needles):
    """Real paths of the shared objects mapped into this process whose name has a needle."""
    found = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.rstrip("\n").split(" ")[-1]
            if path.startswith("/") and any(n in os.path.basename(path) for n in needles):
                found.add(os.path.realpath(path))
    return sorted(found)


def blas_in_use():
    torch.mm(torch.ones(64, 64), torch.ones(64, 64))  # make sure the BLAS is loaded
    libs = loaded_libraries("blas")
    if any("openblas" in p for p in libs):
        kind = "openblas-openmp" if any("openmp" in p for p in libs) else "openblas"
    elif any("mkl" in p for p in loaded_libraries("mkl")):
        kind = "mkl"
    elif libs:
        kind = "reference"
    else:
        kind = "unknown"
    return kind, libs


def median(values):
    return statistics.median(values) if values else 0.0


# ---------------------------------------------------------------- run

def main():
    torch.manual_seed(args.seed)
    net, make_optimizer, batch, default_epochs, validation_split = build(args.preset)
    keras_init(net)
    epochs = default_epochs if args.epochs is None else args.epochs
    macs = forward_macs(net)
    params = sum(p.numel() for p in net.parameters())

    x, y = load_split(args.data, "train", args.train_limit)
    x_test, y_test = load_split(args.data, "t10k")
    x_val = y_val = None
    if validation_split > 0:
        cut = int(len(x) * (1 - validation_split))  # Keras: the tail, before any shuffling
        x, y, x_val, y_val = x[:cut], y[:cut], x[cut:], y[cut:]
    n = len(x)
    if n == 0:
        sys.exit("torch_bench: no training samples left after the validation split")

    optimizer = make_optimizer(net.parameters())
    criterion = nn.CrossEntropyLoss()
    blas, blas_libs = blas_in_use()
    allocator = "tcmalloc" if loaded_libraries("tcmalloc") else "glibc"
    print(f"torch_bench {args.preset}: {params:,} parameters, batch {batch}, {epochs} epochs, "
          f"train {n} images{f', validate {len(x_val)}' if x_val is not None else ''}; torch {torch.__version__}, "
          f"threads {torch.get_num_threads()}, BLAS {blas}, malloc {allocator}, seed {args.seed}", flush=True)
    if blas not in ("openblas-openmp", "openblas", "mkl"):
        print(f"WARNING: BLAS is {blas} ({', '.join(blas_libs) or 'none mapped'}): PyTorch will be far slower "
              "than it can be; apt-get install -y libopenblas0-openmp", file=sys.stderr, flush=True)

    epoch_seconds = []
    for epoch in range(epochs):
        order = torch.randperm(n)
        net.train()
        loss_sum, correct = 0.0, 0
        start = time.perf_counter()
        for first in range(0, n, batch):
            take = order[first:first + batch]
            xb, yb = x.index_select(0, take), y.index_select(0, take)
            logits = net(xb)
            loss = criterion(logits, yb)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            loss_sum += loss.item() * len(take)
            correct += int((logits.argmax(1) == yb).sum())
        seconds = time.perf_counter() - start
        epoch_seconds.append(seconds)
        line = (f"epoch {epoch + 1}/{epochs}: {seconds:.2f}s, {n / seconds:,.0f} samples/s, "
                f"loss {loss_sum / n:.4f}, accuracy {correct / n:.4f}")
        if x_val is not None:
            val_loss, val_accuracy = evaluate(net, x_val, y_val, batch)
            line += f", val_loss {val_loss:.4f}, val_accuracy {val_accuracy:.4f}"
        print(line, flush=True)

    test_loss, test_accuracy = evaluate(net, x_test, y_test)
    med = median(epoch_seconds)
    samples_per_second = n / med if med > 0 else 0.0
    result = {
        "preset": args.preset,
        "epochs": epochs,
        "threads": torch.get_num_threads(),
        "trainSamples": n,
        "testAccuracy": round(test_accuracy, 4),
        "testLoss": round(test_loss, 4),
        "epochSeconds": [round(s, 3) for s in epoch_seconds],
        "epochSecondsMedian": round(med, 3),
        "samplesPerSecond": round(samples_per_second, 1),
        "peakMemoryMB": None,
        "seed": args.seed,
        "params": params,
        "batchSize": batch,
        "fwdMacsPerImage": macs,
        "achievedGflops": round(6 * macs * samples_per_second / 1e9, 2),
        "torch": torch.__version__,
        "blas": blas,
        "allocator": allocator,
    }
    print(f"preset {args.preset} | epochs {epochs} | threads {result['threads']} | test accuracy {test_accuracy:.4f} "
          f"| median epoch {med:.2f}s | {samples_per_second:,.0f} samples/s", flush=True)

    if args.infer:
        net.eval()
        with torch.inference_mode():
            one = x_test[:1]
            for _ in range(100):  # warm-up
                net(one)
            latencies = []
            for i in range(1000):
                image = x_test[i:i + 1]
                start = time.perf_counter()
                net(image)
                latencies.append(time.perf_counter() - start)
            chunks = [x_test[i:i + 1000] for i in range(0, len(x_test), 1000)]
            for chunk in chunks[:2]:  # warm-up
                net(chunk)
            start = time.perf_counter()
            images = 0
            for _ in range(3):
                for chunk in chunks:
                    net(chunk)
                    images += len(chunk)
            throughput = images / (time.perf_counter() - start)
        result["inferBatch1Ms"] = round(median(latencies) * 1e3, 4)
        result["inferBatch1000ImagesPerSecond"] = round(throughput, 1)
        print(f"inference: batch-1 median {result['inferBatch1Ms']} ms over 1000 calls, "
              f"batch-1000 {throughput:,.0f} images/s", flush=True)

    # ru_maxrss is in KiB on Linux: the process's peak resident set, as MnistMl's PeakWorkingSet64.
    result["peakMemoryMB"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
