#!/usr/bin/env bash
# Scrape benchmark: N targets of M series every 15 s (default 100 x 1000), scraped by Sandglass
# and by Prometheus 2.42 from the same configuration file in the same run. Prints, per process,
# CPU seconds per minute of scraping (utime + stime from /proc, after a warm-up minute) and the
# resident memory at the end (VmRSS). Sandglass runs twice, through the launcher: with its serve
# defaults, and with the heap capped through SANDGLASS_JAVA_OPTS (CAPPED_OPTS to change it).
# Everything on loopback; the stores in a temporary directory.
#
# Usage: bench/scrape.sh [MINUTES] [TARGETS] [SERIES]     (defaults 3 100 1000)
# Env: SEAL_MIN=N seals Sandglass's head every N minutes instead of 10 (the system property
#      sandglass.seal.interval.ms through JAVA_TOOL_OPTIONS, the launcher's flags kept), so a
#      short run also shows the state after seals: the RSS is then printed before the first seal
#      and at the end. HISTO=1 prints the top of the launcher-default Sandglass's heap histogram
#      (live objects, after a full collection) at the end. NMT=1 starts both Sandglass JVMs with
#      -XX:NativeMemoryTracking=summary, so the split of their resident memory printed at the end
#      (bench/rss_split.py: anon / file / shmem, files by kind, Java heap) also gives the JVM's
#      own account of the memory outside the heap. JFR=FILE records the launcher-default
#      Sandglass with Java Flight Recorder (settings=profile: allocation samples by stack) and
#      dumps it to FILE at the end (bench/jfr_alloc.py aggregates the allocation samples by site).
# Over the measured minutes VmRSS of Prometheus and of the launcher-default Sandglass is sampled
# every 5 s (bench/rss_watch.py): per-minute means and their ratio, the max, and the peak VmHWM.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
minutes="${1:-3}"; targets="${2:-100}"; series="${3:-1000}"
dir="$(mktemp -d /tmp/sandglass-scrape-bench.XXXXXX)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_port() { for _ in $(seq 1 300); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.2; done; echo "port $1 never opened" >&2; exit 1; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }

"$here/sandglass" --version > /dev/null  # builds the jar now, outside the measurement
if [ -n "${JFR:-}" ]; then
  # The first serve after a build writes the class-data archive, and a JVM dumping one records
  # no JFR: one short serve first writes it.
  wport=$(free_port)
  "$here/sandglass" serve --no-warmup --data-dir "$dir/archive" --msb-home "$dir/no-msb" --listen "127.0.0.1:$wport" > /dev/null 2>&1 & wpid=$!
  wait_port "$wport"; kill -TERM "$wpid"; wait "$wpid" || true
fi
seal_opts=""
[ -n "${SEAL_MIN:-}" ] && seal_opts="-Dsandglass.seal.interval.ms=$((SEAL_MIN * 60000))"
[ -n "${NMT:-}" ] && seal_opts="$seal_opts -XX:NativeMemoryTracking=summary"
tport=$(free_port)
python3 "$here/bench/scrape_targets.py" --port "$tport" --targets "$targets" --series "$series" & pids+=($!)
wait_port "$tport"

cfg="$dir/prometheus.yml"
{
  echo "global: {scrape_interval: 15s, scrape_timeout: 10s}"
  echo "scrape_configs:"
  for i in $(seq 0 $((targets - 1))); do
    echo "  - job_name: t$i"
    echo "    params: {target: ['$i']}"
    echo "    static_configs: [{targets: ['127.0.0.1:$tport']}]"
  done
} > "$cfg"

pport=$(free_port)
prometheus --config.file="$cfg" --storage.tsdb.path="$dir/prom" --web.listen-address="127.0.0.1:$pport" > "$dir/prom.log" 2>&1 & ppid=$!; pids+=($ppid)
# Sandglass as the launcher runs serve (its JVM defaults), and the same with the heap capped the
# way the launcher allows (SANDGLASS_JAVA_OPTS replaces its defaults; override with CAPPED_OPTS).
capped="${CAPPED_OPTS:--XX:+UseSerialGC -Xmx160m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30}"
sport=$(free_port)
jfr_opts=""
[ -n "${JFR:-}" ] && jfr_opts="-XX:StartFlightRecording=settings=profile,filename=$dir/sg.jfr"
JAVA_TOOL_OPTIONS="$seal_opts $jfr_opts" "$here/sandglass" serve --no-warmup --data-dir "$dir/sg" --msb-home "$dir/no-msb" \
  --listen "127.0.0.1:$sport" --scrape-config "$cfg" > "$dir/sg.log" 2>&1 & spid=$!; pids+=($spid)
cport=$(free_port)
JAVA_TOOL_OPTIONS="$seal_opts" SANDGLASS_JAVA_OPTS="$capped" "$here/sandglass" serve --no-warmup --data-dir "$dir/capped" --msb-home "$dir/no-msb" \
  --listen "127.0.0.1:$cport" --scrape-config "$cfg" > "$dir/capped.log" 2>&1 & cpid=$!; pids+=($cpid)
# The same server with nothing to scrape, as the baseline of what serve costs by itself.
iport=$(free_port)
"$here/sandglass" serve --no-warmup --data-dir "$dir/idle" --msb-home "$dir/no-msb" \
  --listen "127.0.0.1:$iport" > "$dir/idle.log" 2>&1 & ipid=$!; pids+=($ipid)
wait_port "$pport"; wait_port "$sport"; wait_port "$cport"; wait_port "$iport"
# The launcher execs java, except on the run that writes serve's class-data archive, where java is
# its child: measure the java process either way.
javapid() { local c; c="$(pgrep -P "$1" java | head -1 || true)"; echo "${c:-$1}"; }
spid="$(javapid "$spid")"; cpid="$(javapid "$cpid")"; ipid="$(javapid "$ipid")"
echo "scraping $targets targets x $series series every 15 s; warm-up 60 s, then $minutes min measured"
sleep 60
tick=$(getconf CLK_TCK)
p0=$(cpu_ticks "$ppid"); s0=$(cpu_ticks "$spid"); c0=$(cpu_ticks "$cpid"); i0=$(cpu_ticks "$ipid")
python3 "$here/bench/rss_watch.py" $((minutes * 60)) 5 "Prometheus=$ppid" "Sandglass=$spid" > "$dir/rss_watch.txt" 2>&1 & wpid=$!
if [ -n "${SEAL_MIN:-}" ]; then
  # RSS of each just before the first seal (started ~SEAL_MIN after serve), then at the end.
  before=$(( SEAL_MIN * 60 - 60 - 20 ))
  [ "$before" -gt 0 ] && sleep "$before"
  echo "before the first seal: RSS MiB Prometheus $(( $(rss_kb "$ppid") / 1024 )), Sandglass $(( $(rss_kb "$spid") / 1024 )), capped $(( $(rss_kb "$cpid") / 1024 ))"
  python3 "$here/bench/rss_split.py" "  Sandglass (launcher defaults), before the first seal" "$spid" "$dir/sg"
  rest=$(( minutes * 60 - (before > 0 ? before : 0) ))
  [ "$rest" -gt 0 ] && sleep "$rest"
else
  sleep $((minutes * 60))
fi
p1=$(cpu_ticks "$ppid"); s1=$(cpu_ticks "$spid"); c1=$(cpu_ticks "$cpid"); i1=$(cpu_ticks "$ipid")
wait "$wpid" || true
prss=$(rss_kb "$ppid"); srss=$(rss_kb "$spid"); crss=$(rss_kb "$cpid"); irss=$(rss_kb "$ipid")
# What the resident memory at the end is made of (after the CPU and RSS figures, as jcmd costs
# the JVMs a little; before the queries below, whose reads map segment files for a while).
echo "resident memory at the end, split (MiB; /proc/PID/status and smaps; Java heap from jcmd GC.heap_info):"
python3 "$here/bench/rss_split.py" "Prometheus" "$ppid" "$dir/prom"
python3 "$here/bench/rss_split.py" "Sandglass (launcher defaults)" "$spid" "$dir/sg" --java
python3 "$here/bench/rss_split.py" "Sandglass (heap capped)" "$cpid" "$dir/capped" --java
python3 "$here/bench/rss_split.py" "Sandglass serving, no targets" "$ipid" "$dir/idle" --java
ups() { curl -sg "http://127.0.0.1:$1/api/v1/query?query=count(up==1)" | python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else 0)'; }
samples() { curl -sg "http://127.0.0.1:$1/api/v1/query?query=sum(scrape_samples_scraped)" | python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else 0)'; }
echo "targets up: Prometheus $(ups "$pport"), Sandglass $(ups "$sport"), capped $(ups "$cport"); samples per round: Prometheus $(samples "$pport"), Sandglass $(samples "$sport"), capped $(samples "$cport")"
echo "capped: SANDGLASS_JAVA_OPTS=\"$capped\""
awk -v p="$((p1 - p0))" -v s="$((s1 - s0))" -v c="$((c1 - c0))" -v i="$((i1 - i0))" -v t="$tick" -v m="$minutes" -v pr="$prss" -v sr="$srss" -v cr="$crss" -v ir="$irss" 'BEGIN {
  printf "%-30s %18s %14s\n", "", "CPU s / minute", "RSS MiB (end)"
  printf "%-30s %18.2f %14.1f\n", "Prometheus", p / t / m, pr / 1024
  printf "%-30s %18.2f %14.1f\n", "Sandglass (launcher defaults)", s / t / m, sr / 1024
  printf "%-30s %18.2f %14.1f\n", "Sandglass (heap capped)", c / t / m, cr / 1024
  printf "%-30s %18.2f %14.1f\n", "Sandglass serving, no targets", i / t / m, ir / 1024
  printf "Sandglass / Prometheus: CPU %.2f, RSS %.2f (launcher defaults); CPU %.2f, RSS %.2f (heap capped)\n", s / p, sr / pr, c / p, cr / pr
}'
cat "$dir/rss_watch.txt"
[ -n "${SEAL_MIN:-}" ] && echo "(head sealed every $SEAL_MIN min; Sandglass's $(curl -s "http://127.0.0.1:$sport/metrics" | grep '^sandglass_storage_blocks' | head -1), $(curl -s "http://127.0.0.1:$sport/metrics" | grep '^sandglass_storage_head_bytes' | head -1))"
if [ -n "${HISTO:-}" ]; then
  echo "Sandglass (launcher defaults) heap, live objects after a full collection (jcmd GC.class_histogram):"
  jcmd "$spid" GC.class_histogram 2>/dev/null | sed -n '1,18p;$p'
  echo "Sandglass RSS after that collection: $(( $(rss_kb "$spid") / 1024 )) MiB"
fi
if [ -n "${JFR:-}" ]; then
  jcmd "$spid" JFR.dump filename="$JFR" > /dev/null && echo "JFR recording of Sandglass (launcher defaults): $JFR"
fi
