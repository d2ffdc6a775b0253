#!/usr/bin/env bash
# MnistMl against PyTorch, side by side, on this machine, in one run.
#
# Prerequisites (Debian/Ubuntu), besides the .NET 10 SDK:
#     apt-get install -y python3-torch libopenblas0-openmp libtcmalloc-minimal4
#   * python3-torch: PyTorch for /usr/bin/python3 (a pyenv/venv python3 on PATH usually lacks it).
#   * libopenblas0-openmp: without it Debian's torch runs on the reference BLAS, ~20x slower on
#     the dense layers; this script warns loudly when it is not the BLAS torch actually loads.
#   * libtcmalloc-minimal4: preloaded into the PyTorch runs only (~25% faster CNNs than glibc
#     malloc); MnistMl runs never see it.
#   * MNIST: the four IDX files in a folder (--data DIR, else $MNISTML_DATA, else ../shared/mnist
#     beside the repository).
#
# Usage:
#     tests/MnistMl.Benchmarks/peer/compare.sh [--presets "cnn mlp dnn cnn64"] [--rounds 1]
#         [--epochs N] [--train-limit N] [--threads 2] [--seed 0] [--data DIR] [--out DIR]
#         [--peak] [--infer] [--no-build] [--python /usr/bin/python3]
#
#   --presets LIST   presets to compare, space- or comma-separated (default: cnn mlp dnn cnn64)
#   --rounds R       run each pair R times, alternating which goes first; the table shows medians
#   --epochs N, --train-limit N, --threads N, --seed S
#                    passed to both `mnistml bench` and torch_bench.py (default: each preset's
#                    own epochs, all 60,000 training images, 2 threads, seed 0)
#   --peak           also measure the machine's fp32 peak (4096x4096 torch.mm, --threads threads)
#                    and show achieved training GFLOP/s as % of it
#   --infer          also time inference on both sides (batch-1 latency, batch-1000 throughput)
#   --out DIR        results folder (default: out/peer-compare-YYYYmmdd-HHMMSS in the repository)
#   --no-build       use the existing Release build of the CLI as it is
#
# Examples:
#     tests/MnistMl.Benchmarks/peer/compare.sh --peak                    # the full comparison (20-30 min)
#     tests/MnistMl.Benchmarks/peer/compare.sh --presets dnn --epochs 1 --train-limit 3000   # smoke
#
# Each run's output is kept as <tool>-<preset>-r<round>.log (stderr in .err) and its last line,
# one JSON object, as <tool>-<preset>-r<round>.json; the table also goes to summary.md.
# Ratio = MnistMl samples/s ÷ PyTorch samples/s: above 1, MnistMl trains faster.
# Both sides time an epoch the same way: from after the shuffle to the last optimizer step.
# The figures swing with anything else running on the machine: keep it otherwise idle.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)
torch_script="$here/torch_bench.py"
tcmalloc=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4

presets="cnn mlp dnn cnn64"
rounds=1
epochs=""
train_limit=""
threads=2
seed=0
data="${MNISTML_DATA:-}"
out=""
peak=0
infer=0
build=1
python=/usr/bin/python3

die() { echo "compare.sh: $*" >&2; exit 2; }
usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }
need_value() { [[ $# -ge 2 && -n "$2" ]] || die "$1 needs a value"; }
is_count() { [[ "$1" =~ ^[0-9]+$ ]]; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --presets) need_value "$@"; presets="$2"; shift 2 ;;
    --rounds) need_value "$@"; rounds="$2"; shift 2 ;;
    --epochs) need_value "$@"; epochs="$2"; shift 2 ;;
    --train-limit) need_value "$@"; train_limit="$2"; shift 2 ;;
    --threads) need_value "$@"; threads="$2"; shift 2 ;;
    --seed) need_value "$@"; seed="$2"; shift 2 ;;
    --data) need_value "$@"; data="$2"; shift 2 ;;
    --out) need_value "$@"; out="$2"; shift 2 ;;
    --python) need_value "$@"; python="$2"; shift 2 ;;
    --peak) peak=1; shift ;;
    --infer) infer=1; shift ;;
    --no-build) build=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

read -r -a preset_list <<< "${presets//,/ }"
[[ ${#preset_list[@]} -gt 0 ]] || die "--presets is empty"
for p in "${preset_list[@]}"; do
  case "$p" in cnn|mlp|dnn|cnn64) ;; *) die "unknown preset '$p' (cnn, mlp, dnn, cnn64)" ;; esac
done
is_count "$rounds" && [[ "$rounds" -ge 1 ]] || die "--rounds must be a whole number ≥ 1"
is_count "$threads" && [[ "$threads" -ge 1 ]] || die "--threads must be a whole number ≥ 1"
[[ -z "$epochs" ]] || is_count "$epochs" || die "--epochs must be a whole number"
[[ -z "$train_limit" ]] || { is_count "$train_limit" && [[ "$train_limit" -ge 1 ]]; } || die "--train-limit must be a whole number ≥ 1"
[[ "$seed" =~ ^-?[0-9]+$ ]] || die "--seed must be an integer"

if [[ -z "$data" && -d "$repo/../shared/mnist" ]]; then
  data="$repo/../shared/mnist"
fi
[[ -n "$data" ]] || die "no MNIST folder: pass --data DIR or set MNISTML_DATA"
[[ -d "$data" ]] || die "MNIST folder '$data' does not exist"
data=$(cd "$data" && pwd)

# ------------------------------------------------------------------ prerequisites
command -v dotnet >/dev/null || die "dotnet (the .NET 10 SDK) is not on PATH"
[[ -x "$python" ]] || die "$python not found: apt-get install -y python3-torch"
torch_version=$("$python" -c 'import torch; print(torch.__version__)' 2>/dev/null) \
  || die "$python cannot import torch: apt-get install -y python3-torch"

torch_env=(env "OMP_NUM_THREADS=$threads")
if [[ -e "$tcmalloc" ]]; then
  torch_env+=("LD_PRELOAD=$tcmalloc")
  allocator=tcmalloc
else
  echo "warning: $tcmalloc not found; PyTorch runs with glibc malloc (CNNs ~25% slower):" \
       "apt-get install -y libtcmalloc-minimal4" >&2
  allocator=glibc
fi

# The BLAS torch really maps (Debian's torch goes through libblas.so.3, an alternatives link).
blas_libs=$(OMP_NUM_THREADS=1 "$python" -c '
import os, torch
torch.mm(torch.ones(8, 8), torch.ones(8, 8))
libs = {l.split()[-1] for l in open("/proc/self/maps") if "blas" in l.rsplit("/", 1)[-1]}
print(" ".join(sorted(os.path.realpath(p) for p in libs)))')
if [[ "$blas_libs" == *openblas-openmp* || "$blas_libs" == *libopenblasp* ]]; then
  blas=openblas-openmp
elif [[ "$blas_libs" == *openblas* ]]; then
  blas=openblas
else
  blas=${blas_libs:-none}
fi
if [[ "$blas" != openblas-openmp ]]; then
  {
    echo "################################################################################"
    echo "# WARNING: PyTorch is NOT using libopenblas0-openmp as its BLAS."
    echo "#   loaded: ${blas_libs:-no BLAS library mapped}"
    echo "#   The reference BLAS is ~20x slower: the PyTorch figures below would be wrong."
    echo "#   Fix: apt-get install -y libopenblas0-openmp"
    echo "#        (check: update-alternatives --display libblas.so.3-x86_64-linux-gnu)"
    echo "################################################################################"
  } >&2
fi

# ------------------------------------------------------------------ MnistMl CLI (Release)
cli_dll=$(ls "$repo"/src/MnistMl.Cli/bin/Release/net*/MnistMl.Cli.dll 2>/dev/null | head -n 1 || true)
if [[ $build -eq 1 ]]; then
  stale=""
  if [[ -n "$cli_dll" ]]; then
    stale=$(find "$repo/src" "$repo"/Directory.*.props "$repo/global.json" -newer "$cli_dll" \
      \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name global.json \) \
      -not -path '*/bin/*' -not -path '*/obj/*' -print -quit 2>/dev/null || true)
  fi
  if [[ -z "$cli_dll" || -n "$stale" ]]; then
    echo "building the CLI (Release)..."
    dotnet build "$repo/src/MnistMl.Cli" -c Release -nologo -v quiet >&2
    cli_dll=$(ls "$repo"/src/MnistMl.Cli/bin/Release/net*/MnistMl.Cli.dll | head -n 1)
  fi
fi
[[ -n "$cli_dll" && -f "$cli_dll" ]] || die "no Release build of the CLI (drop --no-build)"

# ------------------------------------------------------------------ results folder, context
[[ -n "$out" ]] || out="$repo/out/peer-compare-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
out=$(cd "$out" && pwd)
export OMP_NUM_THREADS="$threads"

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || echo unknown)
load=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo 0)
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "machine: $cpu, $(nproc) cores, load average $load"
  echo "mnistml: $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?') $cli_dll, dotnet $(dotnet --version)"
  echo "pytorch: $torch_version via $python, BLAS $blas, malloc $allocator"
  echo "settings: presets ${preset_list[*]}; rounds $rounds; epochs ${epochs:-preset default};" \
       "train-limit ${train_limit:-all}; threads $threads; seed $seed; data $data"
} | tee "$out/context.txt"
if awk -v l="$load" 'BEGIN { exit !(l > 0.5) }'; then
  echo "warning: load average $load: something else is running; the figures will be distorted" >&2
fi
echo "results: $out"

# ------------------------------------------------------------------ fp32 peak (optional)
if [[ $peak -eq 1 ]]; then
  echo "peak: 4096x4096 float32 torch.mm on $threads threads..."
  "${torch_env[@]}" "$python" - "$threads" > "$out/peak.json" <<'EOF'
import json, sys, time, torch
threads = int(sys.argv[1])
torch.set_num_threads(threads)
n = 4096
a, b, c = torch.rand(n, n), torch.rand(n, n), torch.empty(n, n)
torch.mm(a, b, out=c)
seconds = []
for _ in range(5):
    start = time.perf_counter(); torch.mm(a, b, out=c); seconds.append(time.perf_counter() - start)
seconds.sort()
print(json.dumps({"n": n, "threads": threads, "gflopsMedian": round(2 * n ** 3 / seconds[2] / 1e9, 1),
                  "gflopsBest": round(2 * n ** 3 / seconds[0] / 1e9, 1)}))
EOF
  "$python" -c 'import json, sys; p = json.load(open(sys.argv[1])); print("peak: %s GFLOP/s median, %s best" % (p["gflopsMedian"], p["gflopsBest"]))' "$out/peak.json"
fi

# ------------------------------------------------------------------ the runs
common=(--preset PRESET --data "$data" --threads "$threads" --seed "$seed")
[[ -z "$epochs" ]] || common+=(--epochs "$epochs")
[[ -z "$train_limit" ]] || common+=(--train-limit "$train_limit")

run_one() {  # tool preset round
  local tool=$1 preset=$2 round=$3
  local args=("${common[@]}")
  args[1]=$preset
  local base="$out/$tool-$preset-r$round"
  local cmd
  if [[ $tool == mnistml ]]; then
    cmd=(env -u LD_PRELOAD dotnet "$cli_dll" bench "${args[@]}" --json)
    [[ $infer -eq 0 ]] || cmd+=(--infer)
  else
    cmd=("${torch_env[@]}" "$python" "$torch_script" "${args[@]}")
    [[ $infer -eq 0 ]] || cmd+=(--infer)
  fi
  printf '%s\n' "${cmd[*]}" > "$base.cmd"
  printf '  round %d/%d  %-6s %-8s ' "$round" "$rounds" "$preset" "$tool"
  if ! "${cmd[@]}" > "$base.log" 2> "$base.err"; then
    echo "FAILED"
    echo "compare.sh: $tool $preset failed; last lines of $base.log / .err:" >&2
    tail -n 5 "$base.log" "$base.err" >&2
    exit 1
  fi
  tail -n 1 "$base.log" > "$base.json"
  "$python" -c '
import json, sys
r = json.load(open(sys.argv[1]))
print("{:>10,.0f} samples/s  median epoch {:.2f}s  test accuracy {:.4f}  peak {:.0f} MB".format(
    r["samplesPerSecond"], r["epochSecondsMedian"], r["testAccuracy"], r["peakMemoryMB"]))' "$base.json" \
    || { echo "compare.sh: the last line of $base.log is not the JSON result" >&2; exit 1; }
}

for ((round = 1; round <= rounds; round++)); do
  for preset in "${preset_list[@]}"; do
    # Alternate who goes first, so neither side always runs on a cooler (or hotter) machine.
    if (( round % 2 == 1 )); then order=(mnistml torch); else order=(torch mnistml); fi
    for tool in "${order[@]}"; do
      run_one "$tool" "$preset" "$round"
    done
  done
done

# ------------------------------------------------------------------ the table
echo
"$python" - "$out" "$rounds" "$peak" "$infer" "${preset_list[@]}" <<'EOF' | tee "$out/summary.md"
import json, os, statistics, sys

out, rounds, peak, infer, presets = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1", sys.argv[4] == "1", sys.argv[5:]
# Forward multiply-adds per image; a training step costs ~3 forward passes of 2 FLOPs per MAC.
MACS = {"cnn": 2_440_960, "mlp": 406_528, "cnn64": 11_052_288, "dnn": 42_200}

def load(tool, preset):
    return [json.load(open(os.path.join(out, f"{tool}-{preset}-r{r}.json"))) for r in range(1, rounds + 1)]

def med(results, key):
    return statistics.median(r[key] for r in results)

peak_gflops = json.load(open(os.path.join(out, "peak.json")))["gflopsMedian"] if peak else None
head = ["preset", "MnistMl samples/s", "PyTorch samples/s", "ratio", "MnistMl test acc", "PyTorch test acc", "MnistMl peak MB"]
if peak:
    head += ["MnistMl GFLOP/s", "MnistMl % of peak", "PyTorch GFLOP/s", "PyTorch % of peak"]
print(f"MnistMl vs PyTorch, {rounds} round(s), medians over rounds; ratio = MnistMl ÷ PyTorch samples/s"
      + (f"; peak = {peak_gflops} GFLOP/s (4096² fp32 torch.mm)" if peak else ""))
print()
print("| " + " | ".join(head) + " |")
print("|" + "---|" * len(head))
notes = []
for p in presets:
    m, t = load("mnistml", p), load("torch", p)
    ms, ts = med(m, "samplesPerSecond"), med(t, "samplesPerSecond")
    row = [p, f"{ms:,.0f}", f"{ts:,.0f}", f"{ms / ts:.2f}×" if ts else "n/a",
           f"{med(m, 'testAccuracy'):.4f}", f"{med(t, 'testAccuracy'):.4f}", f"{med(m, 'peakMemoryMB'):.0f}"]
    if peak:
        mg, tg = 6 * MACS[p] * ms / 1e9, 6 * MACS[p] * ts / 1e9
        row += [f"{mg:.1f}", f"{100 * mg / peak_gflops:.0f}%", f"{tg:.1f}", f"{100 * tg / peak_gflops:.0f}%"]
    print("| " + " | ".join(row) + " |")
    if rounds > 1:
        per_round = lambda results: ", ".join("{:,.0f}".format(r["samplesPerSecond"]) for r in results)
        notes.append(f"{p}: samples/s per round — MnistMl {per_round(m)}; PyTorch {per_round(t)}")
    if m[0]["trainSamples"] != t[0]["trainSamples"] or m[0]["epochs"] != t[0]["epochs"]:
        notes.append(f"{p}: WARNING: not the same work — MnistMl {m[0]['epochs']} epochs × {m[0]['trainSamples']}, "
                     f"PyTorch {t[0]['epochs']} epochs × {t[0]['trainSamples']}")
    if t[0].get("fwdMacsPerImage", MACS[p]) != MACS[p]:
        notes.append(f"{p}: WARNING: PyTorch model has {t[0]['fwdMacsPerImage']} MACs/image, expected {MACS[p]}")
    if t[0].get("blas") not in (None, "openblas-openmp"):
        notes.append(f"{p}: WARNING: PyTorch ran on BLAS '{t[0]['blas']}'")
    if m[0]["epochs"] < 3:
        notes.append(f"{p}: only {m[0]['epochs']} epoch(s): the median includes start-up (JIT, thread pools, first allocations)")
if infer:
    print()
    print("| preset | MnistMl batch-1 (median ms) | PyTorch batch-1 (median ms) | latency ratio | MnistMl batch-1000 (images/s) | PyTorch batch-1000 (images/s) | throughput ratio |")
    print("|---|---|---|---|---|---|---|")
    for p in presets:
        m, t = load("mnistml", p), load("torch", p)
        ml, tl = med(m, "inferBatch1Ms"), med(t, "inferBatch1Ms")
        mt, tt = med(m, "inferBatch1000ImagesPerSecond"), med(t, "inferBatch1000ImagesPerSecond")
        print(f"| {p} | {ml:.4f} | {tl:.4f} | {ml / tl:.2f}× | {mt:,.0f} | {tt:,.0f} | {mt / tt:.2f}× |")
if notes:
    print()
    for n in notes:
        print(f"- {n}")
EOF
echo
echo "results and logs: $out"
