#!/usr/bin/env bash
# Fuzzes one target of MnistMl.Fuzz with afl++ for a number of minutes.
#   tests/MnistMl.Fuzz/fuzz.sh TARGET MINUTES [FINDINGS_FOLDER]
# Needs Debian's afl++ (apt-get install afl++) and SharpFuzz's instrumenting tool
# (dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path /tmp/sharpfuzz-tool).
# Prints afl's summary; crashes and hangs land in FINDINGS_FOLDER/default/{crashes,hangs}.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
target=${1:?target: idx, model, model-sealed, manifest, image, pnm, png-check, pixels}
minutes=${2:?minutes}
findings=${3:-/tmp/mnistml-fuzz/$target}
publish=/tmp/mnistml-fuzz/publish
sharpfuzz=${SHARPFUZZ:-$(command -v sharpfuzz || echo /tmp/sharpfuzz-tool/sharpfuzz)}

if [ ! -f "$publish/.instrumented" ]; then
  rm -rf "$publish"
  dotnet publish "$here" -c Release -o "$publish" --nologo -v q
  # Only our own assemblies get afl's coverage probes; the framework and ML.NET do not.
  for assembly in MnistMl.dll MnistMl.Engine.dll; do "$sharpfuzz" "$publish/$assembly"; done
  touch "$publish/.instrumented"
fi

rm -rf "$findings"
# A heap limit makes an over-budget allocation a crash (OutOfMemoryException) instead of a slow swap.
AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 \
DOTNET_GCHeapHardLimit=0x20000000 \
  afl-fuzz -V $((minutes * 60)) -t 10000 -m none -i "$here/corpus/$target" -o "$findings" -- "$publish/MnistMl.Fuzz" "$target" > "$findings.log" 2>&1 || true
grep -E "execs_done|execs_per_sec|corpus_count|saved_crashes|saved_hangs|run_time|bitmap_cvg" "$findings/default/fuzzer_stats"
