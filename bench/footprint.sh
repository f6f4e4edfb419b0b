#!/usr/bin/env bash
# Footprint of `sandglass serve`: resident memory (VmRSS, anonymous plus file-backed, from
# /proc/PID/status) after start, its peak (VmHWM) over start-up and warm-up, its peak during the
# eight reference range queries, right after them, and after IDLE seconds idle; while serving a
# copy of a data dir and collecting a demo fleet of 100 sandboxes every second.
# Usage: [RUNS=N] bash bench/footprint.sh DATA_DIR [IDLE_S] [-- extra serve flags]  (RUNS: median of N per query)
#   DATA_DIR: e.g. the reference set: python3 ../shared/bench/gen_fleet.py --sandboxes 100 --hours 6
#   --seed 1 --out /tmp/fp.om && ./sandglass import /tmp/fp.om --data-dir /tmp/fp-data --retention 100y
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
src="${1:?usage: bash bench/footprint.sh DATA_DIR [IDLE_S] [-- serve flags]}"
idle="${2:-60}"
shift $(( $# >= 2 ? 2 : 1 ))
[ "${1:-}" = "--" ] && shift
queries="${QUERIES:-$here/../shared/bench/queries.txt}"
dir="$(mktemp -d /tmp/sandglass-footprint-XXXXXX)"
cp -r "$src" "$dir/data"
rm -f "$dir/data/LOCK"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$here/sandglass" serve --demo=100 --data-dir "$dir/data" --listen "127.0.0.1:$port" --retention 100y "$@" \
  > "$dir/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
mib() { awk -v k="$1:" '$1 == k { printf "%.1f", $2 / 1024 }' "/proc/$pid/status"; }
t0=$(date +%s.%N)
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/-/ready" > /dev/null && break
  sleep 0.2
done
printf 'ready after %.1f s: RSS %s MiB, CPU %s s\n' "$(echo "$(date +%s.%N) - $t0" | bc)" "$(mib VmRSS)" "$(awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / hz }' "/proc/$pid/stat")"
sleep 15 # the start-up warm-up runs for a few seconds in the background
cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / hz }' "/proc/$pid/stat"; }
echo "after 15 s (warm-up done): RSS $(mib VmRSS) MiB, peak so far $(mib VmHWM) MiB; CPU so far $(cpu) s"
echo 5 > "/proc/$pid/clear_refs" # resets VmHWM: the next peak is the query set's
# The reference data set's span (gen_fleet.py --hours 6 starts at 2025-11-20T00:00Z).
python3 "$here/../shared/bench/timeq.py" "http://127.0.0.1:$port" --start 1763596800 --end 1763618398 --runs "${RUNS:-1}" \
  --queries "$queries" | grep '^range'
echo "during the 8 range and 8 instant queries: peak RSS $(mib VmHWM) MiB; after them: RSS $(mib VmRSS) MiB"
sleep "$idle"
echo "after $idle s idle: RSS $(mib VmRSS) MiB (anonymous $(mib RssAnon), file $(mib RssFile))"
grep -E 'max-samples|memory' "$dir/serve.log" | head -3 || true
