#!/usr/bin/env bash
# `sandglass import` of the reference file (JVM start included) against VictoriaMetrics' HTTP
# import of the same samples (/api/v1/import/prometheus, then /internal/force_flush), in turn in
# the same run: each round imports into a fresh data dir (a fresh VictoriaMetrics started and
# ready before its clock starts). Prints each round's wall and CPU seconds (VictoriaMetrics' from
# /proc/PID/stat) and their ratios, then the median ratios; and the peak resident memory of each
# (VmHWM: sandglass's from /usr/bin/time, VictoriaMetrics' from /proc/PID/status after its import).
# With BEFORE=DIR (a checkout with its own launcher and jar, e.g. `git archive main`) each round
# also imports with it, just before: before/after figures from one run on one machine.
#
# Usage: bench/import-vs-vm.sh [ROUNDS]   (default 3; env SANDGLASS_BENCH_DIR, default /tmp/sandglass-bench,
#        holds the reference file fleet.om and its Prometheus-text twin fleet.prom, made by bench/compare.sh;
#        BEFORE, default none)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-3}"
dir="${SANDGLASS_BENCH_DIR:-/tmp/sandglass-bench}"
om="$dir/fleet.om"
prom_text="$dir/fleet.prom"
for f in "$om" "$prom_text"; do
  [ -s "$f" ] || { echo "missing $f: run bench/compare.sh once to make it"; exit 1; }
done
command -v victoria-metrics > /dev/null || { echo "victoria-metrics not installed (apt-get install victoria-metrics)"; exit 1; }
work="$(mktemp -d /tmp/sandglass-import-vs-vm.XXXXXX)"
vm_pid=""
cleanup() { [ -n "$vm_pid" ] && kill "$vm_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
"$here/sandglass" --version > /dev/null  # builds the jar now, outside the timed runs
before="${BEFORE:-}"
[ -n "$before" ] && "$before/sandglass" --version > /dev/null
now() { date +%s.%N; }
# User + system CPU seconds a process has used so far.
cpu_s() { awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$1/stat"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Imports with launcher $1; sets sg (wall s), sg_cpu (CPU s) and sg_mib (peak resident MiB).
sg_import() {
  rm -rf "$work/sg"
  local t0 t1
  t0=$(now)
  /usr/bin/time -f "%U %S %M" -o "$work/sg.cpu" "$1/sandglass" import "$om" --data-dir "$work/sg" --retention 100y > "$work/sg.log"
  t1=$(now)
  sg=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
  sg_cpu=$(awk '{ print $1 + $2 }' "$work/sg.cpu")
  sg_mib=$(awk '{ printf "%d", $3 / 1024 }' "$work/sg.cpu")
  rm -rf "$work/sg"
}

ratios=()
cpu_ratios=()
before_ratios=()
for r in $(seq 1 "$rounds"); do
  if [ -n "$before" ]; then
    sg_import "$before"
    b_sg=$sg; b_cpu=$sg_cpu; b_mib=$sg_mib
  fi
  sg_import "$here"

  port=$(free_port)
  rm -rf "$work/vm"
  victoria-metrics -storageDataPath="$work/vm" -httpListenAddr="127.0.0.1:$port" -retentionPeriod=100y > "$work/vm.log" 2>&1 &
  vm_pid=$!
  until curl -sf "http://127.0.0.1:$port/health" > /dev/null 2>&1; do sleep 0.05; done
  c0=$(cpu_s "$vm_pid")
  t0=$(now)
  curl -sf -X POST -T "$prom_text" "http://127.0.0.1:$port/api/v1/import/prometheus"
  curl -sf "http://127.0.0.1:$port/internal/force_flush" > /dev/null
  t1=$(now)
  vm=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
  vm_cpu=$(awk -v a="$c0" -v b="$(cpu_s "$vm_pid")" 'BEGIN { print b - a }')
  vm_mib=$(awk '$1 == "VmHWM:" { printf "%d", $2 / 1024 }' "/proc/$vm_pid/status")
  kill "$vm_pid"; wait "$vm_pid" 2>/dev/null || true
  vm_pid=""
  ratio=$(awk -v a="$sg" -v b="$vm" 'BEGIN { printf "%.3f", a / b }')
  ratios+=("$ratio")
  cpu_ratio=$(awk -v a="$sg_cpu" -v b="$vm_cpu" 'BEGIN { printf "%.3f", a / b }')
  cpu_ratios+=("$cpu_ratio")
  printf "round %d: sandglass import %.2f s wall (%.2f s CPU, peak %d MiB), victoria-metrics import %.2f s wall (%.2f s CPU, peak %d MiB), ratio wall %s, CPU %s\n" \
    "$r" "$sg" "$sg_cpu" "$sg_mib" "$vm" "$vm_cpu" "$vm_mib" "$ratio" "$cpu_ratio"
  if [ -n "$before" ]; then
    before_ratio=$(awk -v a="$b_sg" -v b="$vm" 'BEGIN { printf "%.3f", a / b }')
    before_ratios+=("$before_ratio")
    printf "         before (%s): %.2f s wall (%.2f s CPU, peak %d MiB), ratio wall %s\n" "$before" "$b_sg" "$b_cpu" "$b_mib" "$before_ratio"
  fi
done
printf "ratio sandglass/victoria-metrics: median %s (min %s, max %s) over %d rounds (target <= 0.8)\n" \
  "$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')" \
  "$(printf '%s\n' "${ratios[@]}" | sort -n | head -1)" "$(printf '%s\n' "${ratios[@]}" | sort -n | tail -1)" "$rounds"
[ -n "$before" ] && printf "before: ratio sandglass/victoria-metrics: median %s\n" \
  "$(printf '%s\n' "${before_ratios[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')"
printf "CPU ratio (steadier than wall on a busy machine): median %s\n" \
  "$(printf '%s\n' "${cpu_ratios[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')"
