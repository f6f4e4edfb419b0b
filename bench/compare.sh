#!/usr/bin/env bash
# Side-by-side benchmark on the reference data set (gen_fleet.py --sandboxes 100 --hours 6 --seed 1):
# import speed and bytes per sample of Sandglass against promtool's backfill, then the eight range
# and instant queries of shared/bench/queries.txt against Sandglass and (when installed) Prometheus
# 2.42 on the same data, with a point-by-point comparison of the answers. All figures come from
# this run on this machine. Traffic stays on 127.0.0.1.
#
# Usage: bench/compare.sh [RUNS]     (env BENCH_DIR, default /tmp/sandglass-bench)
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

if [ ! -s "$om" ]; then
  echo "generating the reference data set into $om ..."
  python3 "$shared/bench/gen_fleet.py" --sandboxes 100 --hours 6 --seed 1 --out "$om"
fi
samples=17280000

cleanup() {
  [ -n "${sg_pid:-}" ] && kill "$sg_pid" 2>/dev/null || true
  [ -n "${prom_pid:-}" ] && kill "$prom_pid" 2>/dev/null || true
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

echo "== queries: 6 h at step 60 s and instant at the end, median of $runs"
java -Dchronicle.analytics.disable=true -jar "$jar" serve --data-dir "$dir/sg-data" --retention 100y \
  --listen "127.0.0.1:$sg_port" --msb-home "$dir/no-registry" > "$dir/sg-serve.log" 2>&1 &
sg_pid=$!
if [ "$have_prom" = 1 ]; then
  prometheus --storage.tsdb.path="$dir/prom-data" --storage.tsdb.retention.time=100y --query.max-samples=500000000 \
    --config.file=/dev/null --web.listen-address="127.0.0.1:$prom_port" > "$dir/prom.log" 2>&1 &
  prom_pid=$!
fi
for _ in $(seq 1 60); do
  curl -sf "http://127.0.0.1:$sg_port/-/ready" >/dev/null && break
  sleep 0.5
done
if [ "$have_prom" = 1 ]; then
  for _ in $(seq 1 60); do
    curl -sf "http://127.0.0.1:$prom_port/-/ready" >/dev/null && break
    sleep 0.5
  done
fi
rm -rf "$dir/res-sg" "$dir/res-prom"
echo "-- sandglass"
python3 "$shared/bench/timeq.py" "http://127.0.0.1:$sg_port" --start "$start" --end "$end" --runs "$runs" --save "$dir/res-sg" | tee "$dir/times-sg.txt"
if [ "$have_prom" = 1 ]; then
  echo "-- prometheus 2.42"
  python3 "$shared/bench/timeq.py" "http://127.0.0.1:$prom_port" --start "$start" --end "$end" --runs "$runs" --save "$dir/res-prom" | tee "$dir/times-prom.txt"
  echo "-- side by side (ms; ratio = sandglass / prometheus)"
  paste "$dir/times-sg.txt" "$dir/times-prom.txt" | awk -F'\t' '{split($1,a," +"); split($2,b," +"); q=$1; sub(/.*series= *[0-9]+ +/,"",q); printf "%-7s %9.1f %9.1f  %5.2f  %s\n", a[1], a[2], b[2], a[2]/b[2], q}'
  echo "-- answers (prometheus vs sandglass, relative 1e-6)"
  python3 "$shared/bench/cmpres.py" "$dir/res-prom" "$dir/res-sg"
fi
rss=$(grep -E '^process_resident_memory_bytes' <(curl -s "http://127.0.0.1:$sg_port/metrics") | awk '{print $2}')
echo "sandglass resident memory after the queries: $((rss / 1048576)) MiB"
