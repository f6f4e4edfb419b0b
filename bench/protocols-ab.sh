#!/usr/bin/env bash
# Remote write beside OTLP protobuf into two Sandglass builds in the same run, alternating: OTHER_JAR
# (e.g. built from an earlier commit) and this tree's web/target/sandglass.jar, each a `serve` on a
# free loopback port, RUNS times each, ProtocolBench with 2 rounds and no gzip pass. Within a
# round, compare OTLP with remote write (the summary line) and one build with the other.
# Usage: bench/protocols-ab.sh OTHER_JAR [COLLECTIONS] [RUNS]   (defaults 30 and 3; uses what is built:
# run bench/protocols.sh or `mvn -DskipTests package` and the test-compile of protocols.sh first)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
other="$1"
collections="${2:-30}"
runs="${3:-3}"
flags=$(sed -n 's:.*<chronicle.argLine>\(.*\)</chronicle.argLine>.*:\1:p' pom.xml)
work="$(mktemp -d /tmp/sg-protocols-ab.XXXXXX)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
declare -A url pid
for v in other this; do
  jar=web/target/sandglass.jar; [ "$v" = other ] && jar="$other"
  p=$(port)
  java -Xmx1g -jar "$jar" serve --data-dir "$work/$v" --listen "127.0.0.1:$p" --no-warmup --msb-home "$work/no-msb" \
    --retention 100y >"$work/$v.log" 2>&1 & pids+=($!)
  url[$v]="http://127.0.0.1:$p"; pid[$v]=$!
done
for v in other this; do
  for _ in $(seq 1 300); do curl -sf "${url[$v]}/-/ready" >/dev/null 2>&1 && break; sleep 0.1; done
done
for i in $(seq 1 "$runs"); do
  for v in other this; do
    echo "== $v, run $i"
    java $flags -Dbench.gzip=false -cp "web/target/test-classes:web/target/classes:$(cat web/target/bench.cp)" \
      dev.sandglass.web.bench.ProtocolBench "$collections" 2 2 "sandglass=${url[$v]}@${pid[$v]}" \
      | grep -E "^round|sandglass remote write / sandglass OTLP" | sed 's/   stored.*//'
  done
done
