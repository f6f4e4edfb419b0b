#!/usr/bin/env bash
# Cardinality benchmark: how much memory a store holding N series costs `serve`, and whether
# queries on top of them answer within the memory budget. Writes N series of one sample each
# (sandbox churn: runs of 10 metrics, a new series every 250 ms) and imports them; then starts
# `serve --memory.limit LIMIT` (the launcher's own settings for that limit) on a copy of the store
# and on an empty store, runs a set of queries and prints, for each: resident memory (VmRSS) once
# ready, after the queries and at its peak (VmHWM), the live heap after a full collection
# (jcmd GC.class_histogram's total), the difference over the empty store per series, and each
# query's HTTP status, answer and time. With BEFORE=DIR (a checkout with its own launcher and
# jar, e.g. an export of an older commit) the same runs are made with it, alternately, on the
# same stores: the before/after figures come from one run on one machine.
#
# Usage: bench/cardinality.sh [N ...]   (default 100000 1000000)
#   env MEMORY_LIMIT (default 128MiB), BEFORE (default none), HISTO=1 prints the histogram's top lines,
#   IDLE=SECONDS also the resident memory after that long idle (then the queries again: what they cost
#   once the idle release has paged the index out), SPLIT=1 where serve's resident memory is after the queries (bench/rss_split.py; NMT too when
#   JAVA_TOOL_OPTIONS=-XX:NativeMemoryTracking=summary)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
limit="${MEMORY_LIMIT:-128MiB}"
before="${BEFORE:-}"
work="$(mktemp -d /tmp/sandglass-cardinality.XXXXXX)"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
"$here/sandglass" --version > /dev/null  # builds the jar now, outside the measured runs
[ -n "$before" ] && "$before/sandglass" --version > /dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
status_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }

# name|path|form fields (one per &); the time is within [1y] of every sample.
QUERIES=(
  'query, 1 sandbox (20 series at 1M)|/api/v1/query|query=count(count_over_time(sandbox_up{sandbox="sb-00042"}[1y]))&time=2026-01-01T00:00:00Z'
  'query, 100 sandboxes (2,000 series at 1M)|/api/v1/query|query=count(count_over_time(sandbox_up{sandbox=~"sb-000.."}[1y]))&time=2026-01-01T00:00:00Z'
  'query, 1 template (14,286 series at 1M)|/api/v1/query|query=count(count_over_time(sandbox_up{template="tpl-3"}[1y]))&time=2026-01-01T00:00:00Z'
  'series of 1 sandbox (200 at 1M)|/api/v1/series|match[]={sandbox="sb-00042"}'
  'label values of run (100,000 at 1M)|/api/v1/label/run/values|'
)

# Runs the queries against serve on port $1; $2 is appended to each line's name.
run_queries() {
  local port="$1" suffix="$2"
  for q in "${QUERIES[@]}"; do
    IFS='|' read -r name path fields <<< "$q"
    local args=() f
    if [ -n "$fields" ]; then
      IFS='&' read -r -a fs <<< "$fields"
      for f in "${fs[@]}"; do args+=(--data-urlencode "$f"); done
    fi
    local t0 t1 code
    t0=$(date +%s%N)
    code=$(curl -s -o "$work/answer.json" -w '%{http_code}' "http://127.0.0.1:$port$path" "${args[@]}" || echo 000)
    t1=$(date +%s%N)
    local answer
    answer=$(python3 -c '
import json, sys
try:
    d = json.load(open(sys.argv[1]))
    if d.get("status") != "success":
        print(d.get("errorType", "?") + ": " + d.get("error", "")[:70])
    elif isinstance(d["data"], list):
        print("%d items" % len(d["data"]))
    else:
        r = d["data"]["result"]
        print(r[0]["value"][1] if r else "empty")
except Exception as e:
    print("unreadable answer")' "$work/answer.json")
    printf "           %-40s HTTP %s in %5.2f s: %s\n" "$name$suffix" "$code" "$(echo "($t1 - $t0) / 1000000000" | bc -l)" "$answer" >&3
  done
}

# Starts serve (launcher $1) on data dir $2, runs the queries; prints "ready_kb after_kb peak_kb live_bytes"
# on stdout and one line per query on fd 3.
serve_run() {
  local launcher="$1" data="$2" port
  port=$(free_port)
  "$launcher/sandglass" serve --data-dir "$data" --retention 100y --memory.limit "$limit" \
    --listen "127.0.0.1:$port" --msb-home "$work/no-registry" --no-warmup > "$work/serve.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 1200); do
    curl -sf "http://127.0.0.1:$port/-/ready" > /dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || { echo "serve exited:" >&2; grep -v 'INFO\|^\s*at ' "$work/serve.log" | head -5 >&2; echo "0 0 0 0"; pid=""; return; }
    sleep 0.1
  done
  local java_pid ready
  java_pid=$(pgrep -P "$pid" java || echo "$pid")
  ready=$(status_kb "$java_pid" VmRSS)
  run_queries "$port" ""
  sleep 1
  local after peak live
  after=$(status_kb "$java_pid" VmRSS)
  peak=$(status_kb "$java_pid" VmHWM)
  jcmd "$java_pid" GC.class_histogram > "$work/histo" 2>/dev/null || true
  live=$(awk '/^Total/ { print $3 }' "$work/histo")
  [ -n "${HISTO:-}" ] && sed -n '3,14p' "$work/histo" >&3
  if [ -n "${IDLE:-}" ]; then
    sleep "$IDLE" # serve's idle work (a full collection, the queue files' readers closed) runs 10 s after the last query
    printf "           after %s s idle: %d MiB resident\n" "$IDLE" $(( $(status_kb "$java_pid" VmRSS) / 1024 )) >&3
  fi
  [ -n "${SPLIT:-}" ] && python3 "$here/bench/rss_split.py" "serve after the queries" "$java_pid" "$data" --java | sed 's/^/           /' >&3
  if [ -n "${IDLE:-}" ]; then
    # The idle release paged the index's tables out: what the same queries cost once it has.
    run_queries "$port" ", after idle"
    printf "           then: %d MiB resident\n" $(( $(status_kb "$java_pid" VmRSS) / 1024 )) >&3
  fi
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
  pid=""
  # Only once serve is gone: the caller reads this line and goes on to replace the store.
  echo "$ready $after $peak ${live:-0}"
}

launchers=("$here")
names=("after")
if [ -n "$before" ]; then
  launchers=("$before" "$here")
  names=("before" "after")
fi

# The empty store, per launcher: serve creates it.
declare -A base_after base_live
for k in "${!launchers[@]}"; do
  rm -rf "$work/empty"
  read -r r a p l < <(serve_run "${launchers[$k]}" "$work/empty" 3>/dev/null)
  base_after[$k]=$a
  base_live[$k]=$l
  printf "%-6s serve --memory.limit %s on an empty store: %d MiB resident after the queries, %.1f MiB live heap\n" \
    "${names[$k]}" "$limit" $((a / 1024)) "$(echo "$l / 1048576" | bc -l)"
done

for n in ${@:-100000 1000000}; do
  om="$work/series-$n.om"
  python3 - "$n" "$om" <<'PY'
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
  data="$work/data-$n"
  echo "== $n series"
  /usr/bin/time -f "%e %M" -o "$work/time" "$here/sandglass" import "$om" --data-dir "$data" --retention 100y > "$work/import.log" 2>&1 \
    || { echo "import failed:"; grep -v INFO "$work/import.log" | tail -5; continue; }
  read -r secs peak_kb < "$work/time"
  printf "import:  %.1f s wall, peak %d MiB resident (launcher defaults)\n" "$secs" $((peak_kb / 1024))
  rm -f "$om"
  for k in "${!launchers[@]}"; do
    rm -rf "$work/copy"
    cp -a "$data" "$work/copy"  # serve changes the store (compaction, its own series): each run gets the imported one
    read -r r a p l < <(serve_run "${launchers[$k]}" "$work/copy" 3> "$work/queries")
    awk -v n="$n" -v who="${names[$k]}" -v lim="$limit" -v r="$r" -v a="$a" -v p="$p" -v l="$l" \
      -v ba="${base_after[$k]}" -v bl="${base_live[$k]}" 'BEGIN {
      if (r == 0) { printf "%-6s serve --memory.limit %s holding %d series: did not start\n", who, lim, n; exit }
      printf "%-6s serve --memory.limit %s holding %d series: resident %d MiB ready, %d after the queries, peak %d; over the empty store %.0f bytes per series\n",
        who, lim, n, r / 1024, a / 1024, p / 1024, (a - ba) * 1024 / n
      printf "         live heap %.1f MiB (%.1f over the empty store): %.1f bytes per series\n", l / 1048576, (l - bl) / 1048576, (l - bl) / n }'
    cat "$work/queries"
  done
  rm -rf "$data" "$work/copy"
done
