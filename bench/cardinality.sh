#!/usr/bin/env bash
# Cardinality benchmark: how much memory a store holding N series costs. Writes N series of one
# sample each (sandbox churn: runs of 10 metrics, a new series every 250 ms), imports them, then
# starts `serve` on the store under a 64 MiB heap with the serial collector (the serve budget) and
# prints its resident memory (VmRSS) after one query that reads the index, beside serve on an
# empty store in the same run: the difference divided by N is the resident cost per series. Also
# the live heap (jcmd GC.class_histogram's total after its full collection) and the same per series
# (HISTO=1 prints the histogram's top lines).
#
# Usage: bench/cardinality.sh [N ...]   (default 200000 1000000; env SANDGLASS_BENCH_HEAP, default 64m,
#        IMPORT_OPTS, default the launcher's import defaults)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
heap="${SANDGLASS_BENCH_HEAP:-64m}"
work="$(mktemp -d /tmp/sandglass-cardinality.XXXXXX)"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
"$here/sandglass" --version > /dev/null  # builds the jar now, outside the timed runs

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# Starts serve on $1 under the bench heap, runs one query, prints "rss_kb answer live_heap_bytes"; stops it.
serve_rss() {
  local data="$1" port
  port=$(free_port)
  SANDGLASS_JAVA_OPTS="-Xmx$heap -XX:+UseSerialGC" "$here/sandglass" serve --data-dir "$data" --retention 100y \
    --listen "127.0.0.1:$port" --msb-home "$work/no-registry" --no-warmup > "$work/serve.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do
    curl -sf "http://127.0.0.1:$port/-/ready" > /dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || { echo "serve exited:" >&2; grep -v INFO "$work/serve.log" | tail -20 >&2; exit 1; }
    sleep 0.1
  done
  local code
  code=$(curl -s -o "$work/answer.json" -w '%{http_code}' "http://127.0.0.1:$port/api/v1/query" \
    --data-urlencode 'query=count(count_over_time(sandbox_up{template="tpl-3"}[1y]))' --data-urlencode 'time=2026-01-01T00:00:00Z' || true)
  if [ "$code" != 200 ]; then
    echo "query failed (HTTP $code): $(head -c 300 "$work/answer.json")" >&2
    grep -v 'collected: ' "$work/serve.log" | grep -i 'warn\|error' | tail -3 >&2
  fi
  sleep 1
  local java_pid
  java_pid=$(pgrep -P "$pid" java || echo "$pid")
  local rss answer live
  rss=$(rss_kb "$java_pid")
  answer=$(python3 -c '
import json, sys
try:
    r = json.load(open(sys.argv[1]))["data"]["result"]
    print(r[0]["value"][1] if r else "none")
except Exception:
    print("failed")' "$work/answer.json")
  jcmd "$java_pid" GC.class_histogram > "$work/histo" 2>/dev/null || true
  live=$(awk '/^Total/ { print $3 }' "$work/histo")
  [ -n "${HISTO:-}" ] && sed -n '3,14p' "$work/histo" >&2
  echo "$rss $answer ${live:-0}"
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
  pid=""
}


# serve creates the empty store.
read -r base_kb _ base_live < <(serve_rss "$work/empty")
echo "serve on an empty store, -Xmx$heap SerialGC: $((base_kb / 1024)) MiB resident, $((base_live / 1048576)) MiB live heap"

for n in "${@:-200000 1000000}"; do
  for n1 in $n; do
    om="$work/series-$n1.om"
    python3 - "$n1" "$om" <<'PY'
import sys
n = int(sys.argv[1])
metrics = ["sandbox_cpu_seconds_total", "sandbox_memory_bytes", "sandbox_net_rx_bytes_total", "sandbox_net_tx_bytes_total",
           "sandbox_disk_read_bytes_total", "sandbox_disk_write_bytes_total", "sandbox_up", "sandbox_vcpus",
           "sandbox_mem_limit_bytes", "sandbox_restarts_total"]
t0 = 1764000000000
with open(sys.argv[2], "w") as out:
    w = out.write
    for i in range(n):
        run = i // len(metrics)
        t = t0 + i * 250
        w('%s{sandbox="sb-%05d",run="run-%07d",template="tpl-%d"} %d %d.%03d\n'
          % (metrics[i % len(metrics)], run % 5000, run, run % 7, i, t // 1000, t % 1000))
    w("# EOF\n")
PY
    data="$work/data-$n1"
    echo "== $n1 series"
    /usr/bin/time -f "%e %M" -o "$work/time" env ${IMPORT_OPTS:+SANDGLASS_JAVA_OPTS="$IMPORT_OPTS"} \
      "$here/sandglass" import "$om" --data-dir "$data" --retention 100y > "$work/import.log" 2>&1 \
      || { echo "import failed:"; grep -v INFO "$work/import.log" | tail -5; continue; }
    read -r secs peak_kb < "$work/time"
    printf "import:  %.1f s wall, peak %d MiB resident (%s)\n" "$secs" $((peak_kb / 1024)) "${IMPORT_OPTS:-launcher defaults}"
    rm -f "$om"
    read -r kb answer live < <(serve_rss "$data")
    awk -v kb="$kb" -v base="$base_kb" -v n="$n1" -v heap="$heap" -v a="$answer" -v live="$live" -v blive="$base_live" 'BEGIN {
      printf "serve:   %d MiB resident holding %d series under -Xmx%s SerialGC (%d MiB over the empty store): %.0f bytes per series; query answer %s\n",
        kb / 1024, n, heap, (kb - base) / 1024, (kb - base) * 1024 / n, a
      printf "         live heap %.1f MiB (%.1f over the empty store): %.0f bytes per series\n", live / 1048576, (live - blive) / 1048576, (live - blive) / n }'
    rm -rf "$data"
  done
done
