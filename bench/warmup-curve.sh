#!/usr/bin/env bash
# Start-up CPU against first-run ratios, for several ways to start serve, in turn (A B C A B C ...)
# so the machine's drifting load falls on all of them alike. Each variant is one bench/footprint.sh
# run (PEERS=0, no idle wait); printed per run: CPU beyond the --help floor at ready and once the
# warm-up is done, the worst and the median first-run/steady ratio of the eight reference range
# queries by wall time, and the same by serve's CPU (all threads, from the scheduler's clock).
# Usage: [RUNS=3] [ROUNDS=2] bash bench/warmup-curve.sh 'LABEL|JVM FLAGS|SERVE FLAGS[|CHECKOUT]' ...
#   e.g. 'default||' 'no warm-up||--no-warmup' 'scaled|-XX:CompileThresholdScaling=0.3|--no-warmup'
# JVM flags go on top of the launcher's (FP_JVM in footprint.sh); serve flags after serve's own.
# CHECKOUT: another checkout's bench/footprint.sh and jar (built there), e.g. main's for an A/B in turn.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
rounds="${ROUNDS:-2}"
out="$(mktemp -d /tmp/sandglass-warmup-curve-XXXXXX)"
trap 'rm -rf "$out"' EXIT
printf '%-28s %6s %6s | %-22s | %-22s\n' variant ready warmed "wall ratio worst/median" "cpu ratio worst/median"
for r in $(seq 1 "$rounds"); do
  for v in "$@"; do
    IFS='|' read -r label jvm flags checkout <<< "$v"
    # shellcheck disable=SC2086
    FP_JVM="$jvm" PEERS=0 RUNS="${RUNS:-3}" bash "${checkout:-$here/..}/bench/footprint.sh" 0 -- $flags > "$out/run" 2>&1 || { echo "$label: failed"; tail -5 "$out/run"; continue; }
    python3 - "$label" "$out/run" <<'PY'
import re, statistics, sys
t = open(sys.argv[2]).read()
ready = re.search(r"\(([0-9.]+) s beyond the floor\)", t).group(1)
warm = re.search(r"warm-up done.*?\(([0-9.]+) s beyond the floor", t)
rows = re.findall(r"^\s+([0-9.]+)\s+([0-9.]+)\s+([0-9.]+)x\s+cpu\s+([0-9]+)\s+([0-9]+) ms", t, re.M)
wall = [float(r[2]) for r in rows]
cpu = [float(r[3]) / max(float(r[4]), 1) for r in rows]
print(f"{sys.argv[1]:<28} {ready:>6} {warm.group(1) if warm else '-':>6} | {max(wall):5.2f} {statistics.median(wall):5.2f} {' '.join(f'{w:.1f}' for w in wall):<12} | {max(cpu):5.2f} {statistics.median(cpu):5.2f} {' '.join(f'{c:.1f}' for c in cpu)}")
PY
  done
done
