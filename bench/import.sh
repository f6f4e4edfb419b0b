#!/usr/bin/env bash
# Bulk-import benchmark on the reference data set (gen_fleet.py --sandboxes 100 --hours 6 --seed 1,
# 17.28 M samples): `sandglass import` against `promtool tsdb create-blocks-from openmetrics` on the
# same file in the same run (when promtool is installed), samples/s and bytes on disk per sample.
#
# Usage: bench/import.sh        (env SANDGLASS_BENCH_DIR, default /tmp/sandglass-bench, caches the file)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="$(cd "$here/../shared" 2>/dev/null && pwd || echo /work/shared)"
dir="${SANDGLASS_BENCH_DIR:-/tmp/sandglass-bench}"
mkdir -p "$dir"
om="$dir/fleet.om"
if [ ! -s "$om" ] || [ "$(tail -c 6 "$om")" != "# EOF" ]; then
  echo "generating the reference data set into $om (a few minutes) ..."
  python3 "$shared/bench/gen_fleet.py" --sandboxes 100 --hours 6 --seed 1 --out "$om.tmp"
  mv "$om.tmp" "$om"
fi
bytes=$(stat -c %s "$om")

# Plain number division, printed with the given printf format.
div() { awk -v a="$1" -v b="$2" -v f="$3" 'BEGIN { printf f, a / b }'; }

echo "== sandglass import ($bytes bytes)"
"$here/sandglass" --version > /dev/null  # builds the jar now, outside the timed run
data="$dir/sg-import-data"
rm -rf "$data"
t0=$(date +%s.%N)
"$here/sandglass" import "$om" --data-dir "$data" --retention 100y > "$dir/sg-import.log"
t1=$(date +%s.%N)
cat "$dir/sg-import.log"
samples=$(awk '/^samples:/ { print $2; exit }' "$dir/sg-import.log")
sg_secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
sg_disk=$(du -sb "$data" | cut -f1)
# The importer's own figure (parse + append + seal) is in the log; the wall figure adds JVM start and Db open/close.
printf "sandglass: %s samples/s wall (%.2f s incl. JVM start), %s bytes/sample on disk\n" \
  "$(div "$samples" "$sg_secs" '%.0f')" "$sg_secs" "$(div "$sg_disk" "$samples" '%.3f')"

if command -v promtool >/dev/null; then
  echo "== promtool tsdb create-blocks-from openmetrics"
  pdata="$dir/promtool-data"
  rm -rf "$pdata"
  t0=$(date +%s.%N)
  promtool tsdb create-blocks-from openmetrics "$om" "$pdata" > "$dir/promtool.log" 2>&1
  t1=$(date +%s.%N)
  p_secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
  p_disk=$(du -sb "$pdata" | cut -f1)
  printf "promtool:  %s samples/s wall (%.2f s), %s bytes/sample on disk\n" \
    "$(div "$samples" "$p_secs" '%.0f')" "$p_secs" "$(div "$p_disk" "$samples" '%.3f')"
  printf "ratio:     sandglass imports %sx faster and stores %sx smaller than promtool\n" \
    "$(div "$p_secs" "$sg_secs" '%.1f')" "$(div "$p_disk" "$sg_disk" '%.2f')"
else
  echo "promtool not installed (apt-get install -y prometheus): no peer figures this run"
fi
