#!/usr/bin/env bash
# Fifty heavy range queries at once against `serve` with NO flags (issue 15 item 1: the default
# must be bounded): imports the reference file into a temporary store, starts serve on it with
# its defaults (plus only a free port and a registry nobody writes), waits until the start-up
# warm-up is done, fires the queries (bench/heavy-queries.py: five shapes, 6 h at step 15 s), and
# prints each outcome, resident memory before, at its peak while they ran, right after, 15 s
# later, and VmHWM over the server's whole life. Every answer must be 200, 422 or 503, never 500,
# and the server must live. BEFORE=DIR runs another checkout (its own launcher and jar) on the
# same store first. SERVE_FLAGS adds flags (e.g. --memory.limit 128MiB) for comparison; SPLIT=1
# also prints where the resident memory is right after the queries (bench/rss_split.py).
# SERVE_JVM adds JVM flags to serve alone (as JAVA_TOOL_OPTIONS, on top of the launcher's
# defaults), e.g. SERVE_JVM="-Xlog:gc:file=/tmp/gc.log -XX:StartFlightRecording=filename=/tmp/b.jfr,settings=profile"
# (then bench/jfr_alloc.py /tmp/b.jfr --thread vert.x-worker).
# Usage: bash bench/heavy-queries.sh [CLIENTS]   (default 50; env FLEET, default /tmp/sandglass-bench/fleet.om)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
clients="${1:-50}"
fleet="${FLEET:-/tmp/sandglass-bench/fleet.om}"
[ -f "$fleet" ] || { echo "no reference file $fleet: python3 /work/shared/bench/gen_fleet.py --sandboxes 100 --hours 6 --seed 1 --out $fleet" >&2; exit 1; }
work="$(mktemp -d /tmp/sandglass-heavy.XXXXXX)"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
status_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
"$here/sandglass" --version > /dev/null
"$here/sandglass" import "$fleet" --data-dir "$work/ref" --retention 100y > "$work/import.log" 2>&1
echo "reference store imported: $(du -sh "$work/ref" | cut -f1)"

run() {
  local who="$1" launcher="$2" port java_pid rc=0
  rm -rf "$work/data"; cp -a "$work/ref" "$work/data"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  # shellcheck disable=SC2086
  JAVA_TOOL_OPTIONS="${SERVE_JVM:-${JAVA_TOOL_OPTIONS:-}}" "$launcher/sandglass" serve --data-dir "$work/data" --retention 100y --listen "127.0.0.1:$port" \
    --msb-home "$work/no-registry" ${SERVE_FLAGS:-} > "$work/serve-$who.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$port/-/ready" > /dev/null 2>&1 && break; sleep 0.1; done
  java_pid=$(pgrep -P "$pid" java || echo "$pid")
  echo "== $who: $(grep -m1 'memory:' "$work/serve-$who.log" | sed 's/^ *//')"
  sleep 20 # the start-up warm-up (a few seconds of CPU) is not what is measured
  python3 "$here/bench/heavy-queries.py" --url "http://127.0.0.1:$port" --pid "$java_pid" --clients "$clients" || rc=$?
  if [ -n "${SPLIT:-}" ] && kill -0 "$java_pid" 2>/dev/null; then
    python3 "$here/bench/rss_split.py" "serve right after the queries" "$java_pid" "$work/data" --java | sed 's/^/  /'
  fi
  sleep 15
  if kill -0 "$java_pid" 2>/dev/null; then
    echo "  15 s later: $(( $(status_kb "$java_pid" VmRSS) / 1024 )) MiB resident; peak over its whole life (VmHWM, start-up included) $(( $(status_kb "$java_pid" VmHWM) / 1024 )) MiB"
  fi
  grep -c 'OutOfMemoryError\|Java heap space' "$work/serve-$who.log" | sed 's/^/  lines about running out of heap in its log: /'
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
  pid=""
  return $rc
}
rc=0
[ -n "${BEFORE:-}" ] && { run before "$BEFORE" || true; }
run after "$here" || rc=$?
exit $rc
