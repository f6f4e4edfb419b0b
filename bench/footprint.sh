#!/usr/bin/env bash
# Footprint of `sandglass serve`, one run, all figures from this machine:
#  - the JVM's own start (`java -jar sandglass.jar --help`, CPU s) as the floor;
#  - serve over the reference data set while collecting a demo fleet of 100 sandboxes every
#    second: CPU at ready and once the start-up warm-up is done (beyond the floor), resident
#    memory (VmRSS, anonymous plus file-backed, /proc/PID/status) after start, its peak over the
#    first minute, its peak during the eight reference range queries, right after and after
#    IDLE_S seconds idle;
#  - the first-run time of each range query on the fresh server beside its steady-state time
#    (median of RUNS further runs);
#  - Prometheus's and VictoriaMetrics' resident memory on the same data and queries.
# Usage: [RUNS=5] [PEERS=0] bash bench/footprint.sh [IDLE_S] [-- extra serve flags]
# Env FP_JVM: JVM flags for serve alone (through JAVA_TOOL_OPTIONS, on top of the launcher's), e.g.
# to try JIT flags; the --help floor runs without them. THREADS=1 prints CPU by thread kind.
# Env MARKS=FILE appends when each run began and ended, as seconds of serve's uptime, and its page faults (beside
# FP_JVM="-Xlog:jit+compilation=debug:file=F:uptime" it shows what the JIT did during each first run;
# bench/jit_first_runs.py MARKS F sums it up), with all threads' CPU and the JIT compiler threads'.
# Env FP_DIR (default /tmp/sandglass-footprint) keeps the generated reference set and the peers'
# stores between runs.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
shared="$here/../shared/bench"
idle="${1:-60}"
[ $# -gt 0 ] && shift
[ "${1:-}" = "--" ] && shift
runs="${RUNS:-5}"
fp="${FP_DIR:-/tmp/sandglass-footprint}"
start=1763596800 # gen_fleet.py --hours 6 starts at 2025-11-20T00:00Z
end=$((start + 6 * 3600 - 2))
mkdir -p "$fp"
[ -s "$fp/fleet.om" ] || python3 "$shared/gen_fleet.py" --sandboxes 100 --hours 6 --seed 1 --out "$fp/fleet.om"
[ -d "$fp/sg-data" ] || "$here/sandglass" import "$fp/fleet.om" --data-dir "$fp/sg-data" --retention 100y > /dev/null
jar="$here/web/target/sandglass.jar"
run="$(mktemp -d /tmp/sandglass-footprint-run-XXXXXX)"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$run"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
mib() { awk -v k="$2:" '$1 == k { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }
# CPU by thread kind (the JIT's compilers, the collector, the warm-up, the rest), when THREADS=1.
threads() {
  [ "${THREADS:-0}" = 1 ] || return 0
  python3 - "$1" "$2" <<'PY'
import collections, glob, os, re, sys
hz = os.sysconf("SC_CLK_TCK")
by = collections.Counter()
for st in glob.glob(f"/proc/{sys.argv[1]}/task/*/stat"):
    try:
        s = open(st).read()
    except OSError:
        continue
    name = s[s.index("(") + 1:s.rindex(")")]
    f = s.rsplit(")", 1)[1].split()
    kind = re.sub(r"[0-9#-]+$", "", re.sub(r" ?Compiler ?Thread.*", " compiler", name)).strip() or name
    by[kind] += (int(f[11]) + int(f[12])) / hz
top = ", ".join(f"{k} {v:.2f}" for k, v in by.most_common(8) if v >= 0.05)
print(f"  CPU by thread at {sys.argv[2]} (s): {top}")
PY
}
wait_ready() { for _ in $(seq 1 600); do curl -sf "$1" > /dev/null && return 0; sleep 0.1; done; echo "not ready: $1" >&2; return 1; }
# First run of each range query in order, then RUNS more of each: "first steady ratio query", and
# when a pid is given, the CPU that process spent during the first run and the median of the
# others (all its threads: the query, the compilers, the collectors; on a loaded machine wall times
# move with the scheduler, CPU much less).
timeq() {
  python3 - "$1" "$start" "$end" "$runs" "$shared/queries.txt" "${2:-}" <<'PY'
import json, os, statistics, sys, time, urllib.parse, urllib.request
base, start, end, runs, qf, pid = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], sys.argv[6]
qs = [l.strip() for l in open(qf) if l.strip()]
hz = os.sysconf("SC_CLK_TCK")
def cpu():  # ms, from the scheduler's nanosecond clock of each live thread (/proc/PID/stat ticks at 10 ms)
    if not pid:
        return 0.0
    total = 0
    for t in os.listdir(f"/proc/{pid}/task"):
        try:
            total += int(open(f"/proc/{pid}/task/{t}/schedstat").read().split()[0])
        except (OSError, ValueError, IndexError):
            pass
    return total / 1e6
marks = os.environ.get("MARKS")  # a file: when each run began and ended (and the page faults so far), in the JVM's uptime (to read beside -Xlog:...:uptime)
def jit_ms():  # the JIT compiler threads' CPU so far
    total = 0
    for t in os.listdir(f"/proc/{pid}/task"):
        try:
            if "Compiler" in open(f"/proc/{pid}/task/{t}/comm").read():
                total += int(open(f"/proc/{pid}/task/{t}/schedstat").read().split()[0])
        except (OSError, ValueError, IndexError):
            pass
    return total / 1e6
def uptime():  # and the page faults so far (minor, major), all threads' CPU and the compilers'
    boot = float(open("/proc/uptime").read().split()[0])
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return f"{boot - int(f[19]) / hz:.3f} minflt {f[7]} majflt {f[9]} cpu_ms {cpu():.0f} jit_ms {jit_ms():.0f}"
def once(q, mark=""):
    url = f"{base}/api/v1/query_range?" + urllib.parse.urlencode(dict(query=q, start=start, end=end, step=60))
    if mark and marks and pid:
        open(marks, "a").write(f"{uptime()} {mark} start {q}\n")
    c0, t0 = cpu(), time.perf_counter()
    d = json.loads(urllib.request.urlopen(url, timeout=300).read())
    assert d["status"] == "success", d
    if mark and marks and pid:
        open(marks, "a").write(f"{uptime()} {mark} end {q}\n")
    return (time.perf_counter() - t0) * 1000, cpu() - c0
first = [once(q, "first") for q in qs]
for q, (f, fc) in zip(qs, first):
    rest = [once(q, "again") for _ in range(runs)]
    s, sc = statistics.median(r[0] for r in rest), statistics.median(r[1] for r in rest)
    extra = f"   cpu {fc:6.0f} {sc:6.0f} ms" if pid else ""
    print(f"  {f:8.1f} {s:8.1f} {f / s:6.2f}x{extra}  {q}")
PY
}

floor="$(python3 - "$jar" <<'PY'
import resource, statistics, subprocess, sys
cpu = []
for _ in range(3):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(["java", "-Dchronicle.analytics.disable=true", "-jar", sys.argv[1], "--help"], stdout=subprocess.DEVNULL, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
print(f"{statistics.median(cpu):.2f}")
PY
)"
echo "JVM floor: java -jar sandglass.jar --help takes $floor s CPU (median of 3)"

cp -r "$fp/sg-data" "$run/data"
rm -f "$run/data/LOCK"
port="$(free_port)"
jvmenv=(env)
[ -n "${FP_JVM:-}" ] && jvmenv=(env "JAVA_TOOL_OPTIONS=$FP_JVM")
t0=$(date +%s.%N)
"${jvmenv[@]}" "$here/sandglass" serve --demo=100 --data-dir "$run/data" --listen "127.0.0.1:$port" --retention 100y "$@" > "$run/serve.log" 2>&1 &
sg=$!
pids+=("$sg")
wait_ready "http://127.0.0.1:$port/-/ready"
# On the first serve after a build the launcher runs java as its child (to write the class-data
# archive at exit) instead of exec'ing it: measure that java, not the shell.
child="$(pgrep -P "$sg" java | head -1 || true)"
[ -n "$child" ] && sg="$child"
c_ready="$(cpu "$sg")"
printf 'serve ready after %.1f s: RSS %s MiB, CPU %s s (%.2f s beyond the floor)\n' "$(echo "$(date +%s.%N) - $t0" | bc)" \
  "$(mib "$sg" VmRSS)" "$c_ready" "$(echo "$c_ready - $floor" | bc)"
threads "$sg" ready
case " $* " in
  *" --no-warmup "*) ;; # nothing to wait for
  *) for _ in $(seq 1 600); do grep -q 'warmed up\|warm-up skipped' "$run/serve.log" && break; sleep 0.1; done ;;
esac
c_warm="$(cpu "$sg")"
threads "$sg" "the warm-up's end"
# What collecting 100 sandboxes costs meanwhile is not start-up: measured over the next 10 s.
sleep 10
c_coll="$(cpu "$sg")"
printf 'warm-up done after %.1f s: CPU %s s (%.2f s beyond the floor; collecting costs %.2f s CPU per 10 s), %s\n' \
  "$(echo "$(date +%s.%N) - $t0 - 10" | bc)" "$c_warm" "$(echo "$c_warm - $floor" | bc)" "$(echo "$c_coll - $c_warm" | bc)" \
  "$(grep -o 'warmed up.*\|warm-up skipped.*' "$run/serve.log" | head -1)"
start_peak="$(mib "$sg" VmHWM)"
echo 5 > "/proc/$sg/clear_refs" # resets VmHWM: the next peak is the query set's
echo "range queries on the fresh server (ms): first run, steady state (median of $runs), ratio; serve's CPU in the first run and the median"
timeq "http://127.0.0.1:$port" "$sg"
threads "$sg" "the query set's end"
printf 'serve RSS: peak over start-up and warm-up %s MiB; peak during the query set %s MiB; after it %s MiB\n' \
  "$start_peak" "$(mib "$sg" VmHWM)" "$(mib "$sg" VmRSS)"
sleep "$idle"
echo "serve RSS after $idle s idle: $(mib "$sg" VmRSS) MiB (anonymous $(mib "$sg" RssAnon), file $(mib "$sg" RssFile))"
grep -E '^  memory' "$run/serve.log" || true

[ "${PEERS:-1}" = 1 ] || exit 0
# Peers on the same data and queries (their RSS peaks over the same first run and RUNS runs).
peer() { # name pid base
  echo 5 > "/proc/$2/clear_refs"
  timeq "$3" > /dev/null
  echo "$1: peak during the query set $(mib "$2" VmHWM) MiB, after it $(mib "$2" VmRSS) MiB"
}
if command -v promtool > /dev/null && command -v prometheus > /dev/null; then
  [ -d "$fp/prom-data" ] || promtool tsdb create-blocks-from openmetrics "$fp/fleet.om" "$fp/prom-data" > /dev/null
  pp="$(free_port)"
  prometheus --storage.tsdb.path="$fp/prom-data" --storage.tsdb.retention.time=100y --config.file=/dev/null \
    --web.listen-address="127.0.0.1:$pp" > "$run/prom.log" 2>&1 &
  prom=$!
  pids+=("$prom")
  wait_ready "http://127.0.0.1:$pp/-/ready"
  peer "prometheus 2.42" "$prom" "http://127.0.0.1:$pp"
fi
if command -v victoria-metrics > /dev/null; then
  vp="$(free_port)"
  fresh=0; [ -d "$fp/vm-data" ] || fresh=1
  victoria-metrics -storageDataPath="$fp/vm-data" -httpListenAddr="127.0.0.1:$vp" -search.disableCache -retentionPeriod=100y \
    -search.maxPointsPerTimeseries=100000 > "$run/vm.log" 2>&1 &
  vm=$!
  pids+=("$vm")
  wait_ready "http://127.0.0.1:$vp/health"
  if [ "$fresh" = 1 ]; then
    [ -s "$fp/fleet.prom" ] || python3 "$shared/gen_fleet.py" --sandboxes 100 --hours 6 --seed 1 --format prometheus --out "$fp/fleet.prom" 2> /dev/null
    curl -sf -X POST -T "$fp/fleet.prom" "http://127.0.0.1:$vp/api/v1/import/prometheus"
    curl -sf "http://127.0.0.1:$vp/internal/force_flush" > /dev/null
    sleep 5
  fi
  peer "victoria-metrics 1.79" "$vm" "http://127.0.0.1:$vp"
fi
