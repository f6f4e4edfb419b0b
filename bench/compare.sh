#!/usr/bin/env bash
# Side-by-side benchmark on the reference data set (gen_fleet.py --sandboxes 100 --hours 6 --seed 1):
# import speed and bytes per sample of Sandglass against promtool's backfill, then the eight range
# and instant queries of shared/bench/queries.txt against Sandglass and (when installed) Prometheus
# 2.42 and VictoriaMetrics 1.79 (cache off) on the same data, with a point-by-point comparison of
# Prometheus's answers and ours. All figures come from
# this run on this machine. Traffic stays on 127.0.0.1.
#
# Usage: bench/compare.sh [RUNS]     (env BENCH_DIR, default /tmp/sandglass-bench; SERVE_FLAGS, extra
#        flags for Sandglass's serve, e.g. SERVE_FLAGS="--memory.limit 128MiB")
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="$(cd "$here/../shared" && pwd)"
runs="${1:-5}"
dir="${BENCH_DIR:-/tmp/sandglass-bench}"
mkdir -p "$dir"
om="$dir/fleet.om"
start=1763596800
end=$((start + 6 * 3600 - 1))
sg_port=19471
prom_port=19091
vm_port=18428

if [ ! -s "$om" ]; then
  echo "generating the reference data set into $om ..."
  python3 "$shared/bench/gen_fleet.py" --sandboxes 100 --hours 6 --seed 1 --out "$om"
fi
samples=17280000

cleanup() {
  [ -n "${sg_pid:-}" ] && kill "$sg_pid" 2>/dev/null || true
  [ -n "${prom_pid:-}" ] && kill "$prom_pid" 2>/dev/null || true
  [ -n "${vm_pid:-}" ] && kill "$vm_pid" 2>/dev/null || true
}
trap cleanup EXIT

(cd "$here" && mvn -B -q -DskipTests package)
jar="$here/web/target/sandglass.jar"

echo "== import ($samples samples)"
rm -rf "$dir/sg-data"
t0=$(date +%s.%N)
"$here/sandglass" import "$om" --data-dir "$dir/sg-data" --retention 100y > "$dir/sg-import.log"
t1=$(date +%s.%N)
sg_secs=$(echo "$t1 - $t0" | bc -l)
sg_used=$(du -s -B1 "$dir/sg-data" | cut -f1)
sg_apparent=$(du -sb "$dir/sg-data" | cut -f1)
printf "sandglass import: %6.2f s wall (%s samples/s incl. JVM start), %.3f bytes/sample on disk (%.3f apparent)\n" \
  "$sg_secs" "$(echo "$samples / $sg_secs" | bc)" "$(echo "$sg_used / $samples" | bc -l)" "$(echo "$sg_apparent / $samples" | bc -l)"
grep -E "samples:" "$dir/sg-import.log" | sed 's/^/  importer: /'

have_prom=0
if command -v promtool >/dev/null && command -v prometheus >/dev/null; then
  have_prom=1
  rm -rf "$dir/prom-data"
  t0=$(date +%s.%N)
  promtool tsdb create-blocks-from openmetrics "$om" "$dir/prom-data" > "$dir/promtool.log" 2>&1
  t1=$(date +%s.%N)
  p_secs=$(echo "$t1 - $t0" | bc -l)
  p_used=$(du -s -B1 "$dir/prom-data" | cut -f1)
  printf "promtool backfill: %6.2f s wall (%s samples/s), %.3f bytes/sample on disk\n" \
    "$p_secs" "$(echo "$samples / $p_secs" | bc)" "$(echo "$p_used / $samples" | bc -l)"
  printf "ratio: sandglass imports %.1fx faster and stores %.1fx smaller\n" \
    "$(echo "$p_secs / $sg_secs" | bc -l)" "$(echo "$p_used / $sg_used" | bc -l)"
else
  echo "promtool/prometheus not installed (apt-get install prometheus): no peer figures this run"
fi

have_vm=0
if command -v victoria-metrics >/dev/null; then
  have_vm=1
fi

echo "== queries: 6 h at step 60 s and instant at the end, median of $runs, after an untimed warm-up pass (each query five times) against each server"
[ -n "${SERVE_FLAGS:-}" ] && echo "sandglass serve flags: $SERVE_FLAGS"
"$here/sandglass" serve --data-dir "$dir/sg-data" --retention 100y \
  --listen "127.0.0.1:$sg_port" --msb-home "$dir/no-registry" ${SERVE_FLAGS:-} > "$dir/sg-serve.log" 2>&1 &
sg_pid=$!
if [ "$have_prom" = 1 ]; then
  prometheus --storage.tsdb.path="$dir/prom-data" --storage.tsdb.retention.time=100y --query.max-samples=500000000 \
    --config.file=/dev/null --web.listen-address="127.0.0.1:$prom_port" > "$dir/prom.log" 2>&1 &
  prom_pid=$!
fi
wait_ready() {
  for _ in $(seq 1 120); do
    curl -sf "$1" >/dev/null && return 0
    sleep 0.5
  done
  echo "not ready: $1" >&2
  return 1
}
if [ "$have_vm" = 1 ]; then
  # VictoriaMetrics 1.79 with its result cache off, as the issue's figures were measured.
  prom_text="$dir/fleet.prom"
  if [ ! -s "$prom_text" ]; then
    python3 "$shared/bench/gen_fleet.py" --sandboxes 100 --hours 6 --seed 1 --format prometheus --out "$prom_text" 2>/dev/null
  fi
  rm -rf "$dir/vm-data"
  victoria-metrics -storageDataPath="$dir/vm-data" -httpListenAddr="127.0.0.1:$vm_port" -search.disableCache \
    -retentionPeriod=100y -search.maxPointsPerTimeseries=100000 > "$dir/vm.log" 2>&1 &
  vm_pid=$!
  wait_ready "http://127.0.0.1:$vm_port/health"
  curl -sf -X POST -T "$prom_text" "http://127.0.0.1:$vm_port/api/v1/import/prometheus"
  curl -sf "http://127.0.0.1:$vm_port/internal/force_flush" >/dev/null
  # The import returns before every row is searchable: wait until all of them are.
  for _ in $(seq 1 120); do
    n=$(curl -s "http://127.0.0.1:$vm_port/api/v1/query?query=sum(count_over_time(microsandbox_cpu_utilization_ratio%5B7h%5D))&time=$end" \
      | python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(int(float(r[0]["value"][1])) if r else 0)')
    [ "$n" = 2160000 ] && break
    sleep 1
  done
fi
wait_ready "http://127.0.0.1:$sg_port/-/ready"
[ "$have_prom" = 1 ] && wait_ready "http://127.0.0.1:$prom_port/-/ready"

# One untimed pass each (every query five times): Sandglass's JIT compiles the engine on first use (a long-running server
# is warm), and every store reads its files into the page cache once.
bases="sg=http://127.0.0.1:$sg_port"
[ "$have_prom" = 1 ] && bases="$bases prom=http://127.0.0.1:$prom_port"
[ "$have_vm" = 1 ] && bases="$bases vm=http://127.0.0.1:$vm_port"
for b in $bases; do
  python3 "$shared/bench/timeq.py" "${b#*=}" --start "$start" --end "$end" --runs 5 > /dev/null
done
rm -rf "$dir/res-sg" "$dir/res-prom" "$dir/res-vm"
for b in $bases; do
  name=${b%%=*}
  echo "-- $name"
  python3 "$shared/bench/timeq.py" "${b#*=}" --start "$start" --end "$end" --runs "$runs" --save "$dir/res-$name" | tee "$dir/times-$name.txt"
done
echo "-- side by side (ms, median of $runs; ratio = sandglass / peer)"
python3 - "$dir" $bases <<'PY'
import sys, re
d = sys.argv[1]
names = [b.split("=")[0] for b in sys.argv[2:]]
rows = {}
for n in names:
    for line in open(f"{d}/times-{n}.txt"):
        m = re.match(r"(\w+)\s+([\d.]+) ms\s+series=\s*-?\d+\s+(.*)", line)
        if m:
            rows.setdefault((m.group(1), m.group(3)), {})[n] = float(m.group(2))
head = "kind     " + "".join(f"{n:>9}" for n in names) + "".join(f"  sg/{n:<4}" for n in names[1:]) + "  query"
print(head)
for (kind, q), t in rows.items():
    cells = "".join(f"{t.get(n, float('nan')):9.1f}" for n in names)
    ratios = "".join(f"  {t['sg'] / t[n]:7.2f}" for n in names[1:] if n in t)
    print(f"{kind:8s} {cells}{ratios}  {q}")
PY
if [ "$have_prom" = 1 ]; then
  echo "-- answers (prometheus vs sandglass, relative 1e-6)"
  python3 "$shared/bench/cmpres.py" "$dir/res-prom" "$dir/res-sg"
fi
rss=$(grep -E '^process_resident_memory_bytes' <(curl -s "http://127.0.0.1:$sg_port/metrics") | awk '{print $2}')
echo "sandglass resident memory after the queries: $((rss / 1048576)) MiB"
