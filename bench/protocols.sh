#!/usr/bin/env bash
# Ingestion over the wire, all receivers fed the same pre-encoded payloads in the same run:
# remote write into Sandglass, VictoriaMetrics 1.79 and Prometheus 2.42, OTLP protobuf into
# Sandglass; then `sandglass export` beside `sandglass import` of the same file.
# Receivers take turns, ROUNDS times, each round under new metric names; each pass is timed as
# its first collection (all series new) and the rest (all known).
# Usage: bench/protocols.sh [COLLECTIONS] [CLIENT_THREADS] [ROUNDS]   (defaults 60, 2 and 3)
# SKIP_BUILD=1 uses the jar and classes already built. Sandglass's serve gets the launcher's serve
# defaults (SG_LAUNCHER_OPTS=0: -Xmx1g as before). SG_JAVA_OPTS adds JVM options to Sandglass's
# serve (e.g. "-XX:StartFlightRecording=filename=/tmp/x.jfr -Xlog:gc:file=/tmp/gc.log" to profile it);
# BENCH_JAVA_OPTS to the client (-Dbench.trace=true prints each pass's start and end, unix ms;
# -Dbench.threads=true each pass's receiver CPU by kind of thread: C2/C1 compilers, GC, workers).
# SG_JAR runs another Sandglass build as the receiver (an A/B in turns with the same peers' versions).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
collections="${1:-60}"
threads="${2:-2}"
rounds="${3:-3}"
if [ -z "${SKIP_BUILD:-}" ]; then
  mvn -B -q -DskipTests package
  mvn -B -q -DskipTests -pl web -am test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp
fi
flags=$(sed -n 's:.*<chronicle.argLine>\(.*\)</chronicle.argLine>.*:\1:p' pom.xml)
work="$(mktemp -d /tmp/sg-protocols-bench.XXXXXX)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
ready() { for _ in $(seq 1 300); do curl -sf "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "not ready: $1" >&2; return 1; }

# Sandglass's serve runs with the launcher's own serve defaults (what users run): they are read
# by running ./sandglass with a stand-in `java` that prints its options. SG_LAUNCHER_OPTS=0 gives
# the bench's former -Xmx1g and the JVM's own defaults instead.
if [ "${SG_LAUNCHER_OPTS:-1}" = 0 ]; then
  sg_opts="-Xmx1g"
else
  mkdir -p "$work/fakejava"
  printf '#!/bin/sh\nfor a in "$@"; do [ "$a" = -jar ] && break; printf "%%s\\n" "$a"; done\n' >"$work/fakejava/java"
  chmod +x "$work/fakejava/java"
  sg_opts=$(env -u SANDGLASS_JAVA_OPTS PATH="$work/fakejava:$PATH" ./sandglass serve --help | grep -v -e SharedArchiveFile -e '^-Xlog:cds' | tr '\n' ' ')
  export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
fi
echo "sandglass serve JVM options: $sg_opts ${SG_JAVA_OPTS:-}"
sg=$(port); vm=$(port); prom=$(port)
java $sg_opts ${SG_JAVA_OPTS:-} -jar "${SG_JAR:-web/target/sandglass.jar}" serve --data-dir "$work/sg" --listen "127.0.0.1:$sg" --no-warmup \
  --msb-home "$work/no-msb" --retention 100y >"$work/sg.log" 2>&1 & pids+=($!)
victoria-metrics -storageDataPath="$work/vm" -httpListenAddr="127.0.0.1:$vm" -search.latencyOffset=0s -retentionPeriod=100y \
  >"$work/vm.log" 2>&1 & pids+=($!)
printf 'global:\n  scrape_interval: 1m\n' >"$work/prometheus.yml"
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prom" --web.enable-remote-write-receiver \
  --web.listen-address="127.0.0.1:$prom" >"$work/prom.log" 2>&1 & pids+=($!)
ready "http://127.0.0.1:$sg/-/ready"; ready "http://127.0.0.1:$vm/health"; ready "http://127.0.0.1:$prom/-/ready"

java $flags ${BENCH_JAVA_OPTS:-} -cp "web/target/test-classes:web/target/classes:$(cat web/target/bench.cp)" dev.sandglass.web.bench.ProtocolBench \
  "$collections" "$threads" "$rounds" "sandglass=http://127.0.0.1:$sg@${pids[0]}" "victoria-metrics=http://127.0.0.1:$vm@${pids[1]}" "prometheus=http://127.0.0.1:$prom@${pids[2]}"

echo "export beside import of the same file (the commands' own figures, store opening excluded):"
java -jar web/target/sandglass.jar export --data-dir "$work/sg" --output "$work/export.om" 2>&1 | tail -1
# The importer's summary lines only (its log lines also say "series"); the whole output is read,
# so the importer never writes into a closed pipe.
java -jar web/target/sandglass.jar import "$work/export.om" --data-dir "$work/sg2" --retention 100y >"$work/import.out" 2>&1 \
  || { echo "import failed:"; tail -20 "$work/import.out"; }
grep -E '^(series|samples|rejected|too old|duplicate): ' "$work/import.out" || { echo "no import summary:"; tail -20 "$work/import.out"; }
