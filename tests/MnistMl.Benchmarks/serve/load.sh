#!/usr/bin/env bash
# Load on `mnistml serve`, on loopback only, bounded in time and in requests: it stops by itself.
#
# Prerequisites (Debian): apt-get install -y wrk; the .NET SDK; MNIST through --data, $MNISTML_DATA
# or ../shared/mnist beside the repository (the batch body is the first test images).
#
# Usage:
#     tests/MnistMl.Benchmarks/serve/load.sh [--preset cnn] [--seconds 20] [--connections 32]
#         [--batch-connections 4] [--max-requests 2000000] [--batch 1000] [--rounds 3] [--out DIR] [--no-build]
#
# What it does, each round against one fresh `mnistml serve` (models trained first, 1 epoch, seeds 1 and 2):
#   single  POST /predict with a 140 × 140 PNG of a hand-drawn 7 (assets/digits/seven.png): decoded,
#           made MNIST-like and predicted per request;
#   swap    the same, while the model file is replaced halfway (a copy renamed over it, as a
#           deployment does); /health must name the new model afterwards;
#   batch   POST /predict/batch with --batch test images as raw grey levels (784 bytes each).
# wrk runs one thread (one of the two cores) and --connections connections (--batch-connections
# for the batch: a few clients sending large requests, as batch jobs do); each phase lasts
# --seconds or --max-requests, whichever comes first, after 3 s of warm-up. Printed per phase:
# requests/s (images/s for the batch), p50/p90/p99 latency, errors (socket errors and non-2xx);
# and the server's peak resident memory (VmHWM). The table gives the medians over the rounds.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
preset=cnn seconds=20 connections=32 batch_connections=4 max_requests=2000000 batch=1000 rounds=3 out="" build=1
data=${MNISTML_DATA:-$repo/../shared/mnist}
while [ $# -gt 0 ]; do
  case $1 in
    --preset) preset=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --batch-connections) batch_connections=$2; shift 2 ;;
    --max-requests) max_requests=$2; shift 2 ;;
    --batch) batch=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "load.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "load.sh: wrk is not installed: apt-get install -y wrk" >&2; exit 1; }
out=${out:-$repo/out/serve-load-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out"
cli=$repo/src/MnistMl.Cli/bin/Release/net10.0/$(dotnet --info | awk '/^ RID:/ { print $2; exit }')/MnistMl.Cli
[ "$build" = 1 ] && dotnet build "$repo/src/MnistMl.Cli" -c Release --nologo -v q >/dev/null

for seed in 1 2; do
  [ -f "$out/$preset-$seed.zip" ] || MNISTML_DATA=$data "$cli" train --preset "$preset" --epochs 1 --seed $seed -o "$out/$preset-$seed.zip" >"$out/train-$seed.log"
done
python3 - "$data/t10k-images-idx3-ubyte.gz" "$batch" "$out/batch.bin" <<'PY'
import gzip, sys
images = gzip.open(sys.argv[1]).read()[16:]
count = int(sys.argv[2])
open(sys.argv[3], "wb").write(images[:784 * count])
PY

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url=http://127.0.0.1:$port
server=""
stop_server() {
  if [ -n "$server" ]; then kill -TERM "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; fi
  server=""
}
trap stop_server EXIT

# wrk PHASE PATH BODY TYPE SECONDS [CONNECTIONS]: one bounded run; its JSON line goes to $out/PHASE-rROUND.json
load() {
  REQUEST_PATH=$2 BODY_FILE=$3 CONTENT_TYPE=$4 MAX_REQUESTS=$max_requests WRK_THREADS=1 \
    timeout $(( $5 + 30 )) wrk -t1 -c"${6:-$connections}" -d"${5}s" --timeout 5s -s "$here/post.lua" "$url" >"$out/$1-r$round.log" 2>&1
  tail -n 1 "$out/$1-r$round.log" >"$out/$1-r$round.json"
}

for round in $(seq 1 "$rounds"); do
  model=$out/serving.zip
  cp "$out/$preset-1.zip" "$model"
  "$cli" serve "$model" --urls "$url" >"$out/serve-r$round.log" 2>&1 &
  server=$!
  for _ in $(seq 100); do curl -sf "$url/health" >/dev/null && break; sleep 0.1; done
  first=$(curl -sf "$url/health" | python3 -c 'import json,sys; print(json.load(sys.stdin)["model"]["sha256"])')

  load warmup /predict "$repo/assets/digits/seven.png" image/png 3
  load single /predict "$repo/assets/digits/seven.png" image/png "$seconds"
  ( sleep $(( seconds / 2 )); cp "$out/$preset-2.zip" "$out/.incoming.zip"; mv "$out/.incoming.zip" "$model" ) &
  swapper=$!
  load swap /predict "$repo/assets/digits/seven.png" image/png "$seconds"
  wait $swapper
  second=$(curl -sf "$url/health" | python3 -c 'import json,sys; print(json.load(sys.stdin)["model"]["sha256"])')
  [ "$first" != "$second" ] && [ "$second" = "$(sha256sum "$model" | cut -d' ' -f1)" ] && echo swapped >"$out/swap-r$round.ok" || echo "round $round: /health did not name the new model after the swap" >&2
  load warmup-batch /predict/batch "$out/batch.bin" application/octet-stream 3 "$batch_connections"
  load batch /predict/batch "$out/batch.bin" application/octet-stream "$seconds" "$batch_connections"
  awk '/^VmHWM/ { print $2 }' "/proc/$server/status" >"$out/peak-kib-r$round.txt"
  stop_server
done

python3 - "$out" "$rounds" "$batch" "$preset" "$connections" "$batch_connections" <<'PY' | tee "$out/summary.md"
import json, os, statistics, sys
out, rounds, batch, preset, connections, batch_connections = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6]
def median(values): return statistics.median(values)
print(f"mnistml serve, preset {preset}, wrk 1 thread × {connections} connections ({batch_connections} for the batch of {batch}), medians of {rounds} rounds, {os.cpu_count()} cores\n")
print("| phase | requests/s | images/s | p50 ms | p90 ms | p99 ms | requests | errors |")
print("|---|---|---|---|---|---|---|---|")
for phase, per in (("single", 1), ("swap", 1), ("batch", batch)):
    runs = [json.load(open(f"{out}/{phase}-r{r}.json")) for r in range(1, rounds + 1)]
    errors = sum(sum(run["errors"].values()) for run in runs)
    print(f"| {phase} | {median([r['requestsPerSecond'] for r in runs]):,.0f} | {median([r['requestsPerSecond'] * per for r in runs]):,.0f} | "
          f"{median([r['p50Ms'] for r in runs]):.2f} | {median([r['p90Ms'] for r in runs]):.2f} | {median([r['p99Ms'] for r in runs]):.2f} | "
          f"{sum(r['requests'] for r in runs):,} | {errors} |")
swaps = sum(os.path.exists(f"{out}/swap-r{r}.ok") for r in range(1, rounds + 1))
peaks = [int(open(f"{out}/peak-kib-r{r}.txt").read()) / 1024 for r in range(1, rounds + 1)]
print(f"\nswaps seen by /health: {swaps} of {rounds}; server peak resident memory: median {median(peaks):.0f} MiB (max {max(peaks):.0f})")
PY
