#!/usr/bin/env bash
# How the eight reference range queries converge on a fresh serve: serve over the reference set
# (a copy of bench/footprint.sh's store) collecting 100 demo sandboxes every second, then ROUNDS
# rounds of the eight queries in turn (each round runs each query once), printed per query: the
# wall time of each round (ms), then serve's CPU in each round (ms, all threads: the query's, the
# JIT compilers', the collector's). At the end serve stops and the JVM's own compile totals are
# printed (-XX:+CITime: C1 and C2 seconds over the whole run, start-up and warm-up included).
# Usage: [ROUNDS=10] [WAIT=10] [FP_JVM="JVM FLAGS"] bash bench/convergence.sh [extra serve flags]
#   e.g. bash bench/convergence.sh --no-warmup;  FP_JVM=-XX:TieredStopAtLevel=1 bash bench/convergence.sh
# Needs the store bench/footprint.sh builds in FP_DIR (default /tmp/sandglass-footprint): run that once.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
fp="${FP_DIR:-/tmp/sandglass-footprint}"
[ -d "$fp/sg-data" ] || { echo "no $fp/sg-data: run bench/footprint.sh once first" >&2; exit 1; }
run="$(mktemp -d /tmp/sandglass-convergence-XXXXXX)"
cp -r "$fp/sg-data" "$run/data"
rm -f "$run/data/LOCK"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
JAVA_TOOL_OPTIONS="-XX:+CITime ${FP_JVM:-}" "$here/sandglass" serve --demo=100 --data-dir "$run/data" \
  --listen "127.0.0.1:$port" --retention 100y "$@" > "$run/serve.log" 2>&1 &
sg=$!
trap 'kill "$sg" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$run"' EXIT
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$port/-/ready" > /dev/null && break; sleep 0.1; done
# On the first serve after a build the launcher runs java as its child (to write the class-data
# archive at exit): measure that java, not the shell.
child="$(pgrep -P "$sg" java | head -1 || true)"
pid="${child:-$sg}"
case " $* " in
  *" --no-warmup "*) ;;
  *) for _ in $(seq 1 600); do grep -q 'warmed up\|warm-up skipped' "$run/serve.log" && break; sleep 0.1; done ;;
esac
sleep "${WAIT:-10}"
python3 - "http://127.0.0.1:$port" "$pid" "${ROUNDS:-10}" "$here/../shared/bench/queries.txt" <<'PY'
import json, os, sys, time, urllib.parse, urllib.request
base, pid, rounds, qf = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
qs = [l.strip() for l in open(qf) if l.strip()]
start, end = 1763596800, 1763596800 + 6 * 3600 - 2  # gen_fleet.py --hours 6, as footprint.sh
def cpu():  # ms, the scheduler's clock of each live thread
    total = 0
    for t in os.listdir(f"/proc/{pid}/task"):
        try:
            total += int(open(f"/proc/{pid}/task/{t}/schedstat").read().split()[0])
        except (OSError, ValueError, IndexError):
            pass
    return total / 1e6
def once(q):
    url = f"{base}/api/v1/query_range?" + urllib.parse.urlencode(dict(query=q, start=start, end=end, step=60))
    c0, t0 = cpu(), time.perf_counter()
    d = json.loads(urllib.request.urlopen(url, timeout=300).read())
    assert d["status"] == "success", d
    return (time.perf_counter() - t0) * 1000, cpu() - c0
c0 = cpu()
print(f"serve's CPU before the first round: {c0:.0f} ms")
rows = [[once(q) for q in qs] for _ in range(rounds)]
print(f"per query, wall ms of rounds 1..{rounds} | serve's CPU ms of the same rounds")
for i, q in enumerate(qs):
    print(" ".join(f"{r[i][0]:6.1f}" for r in rows), " |", " ".join(f"{r[i][1]:4.0f}" for r in rows), "", q[:40])
print(f"serve's CPU after the last round: {cpu():.0f} ms")
PY
kill -TERM "$pid"
for _ in $(seq 1 200); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
echo "the JIT over the whole run (-XX:+CITime):"
grep -E '^ +C[12] \{|^ +C[12] Compile Time' "$run/serve.log" | sed -E 's/; nmethods_size.*//; s/^ +/  /' || true
