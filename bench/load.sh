#!/usr/bin/env bash
# Load: tens of concurrent clients mixing cheap and expensive queries against `sandglass serve`
# while it collects a demo fleet of 1,024 sandboxes every second. Prints a table of query
# latencies and outcomes and whether ingest kept up. --query.max-samples is 1,000,000 so that the
# expensive queries (the whole fleet's raw samples over minutes) meet it within a short run.
# Usage: bash bench/load.sh [DURATION_S] [CLIENTS]   (defaults 60 and 32)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
duration="${1:-60}"
clients="${2:-32}"
dir="$(mktemp -d /tmp/sandglass-load-XXXXXX)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$here/sandglass" serve --demo=1024 --data-dir "$dir/data" --listen "127.0.0.1:$port" \
  --query.max-samples 1000000 --query.timeout 20s --query.max-concurrency 4 > "$dir/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/-/ready" > /dev/null && break
  sleep 1
done
echo "warming up: 30 s of collection before the load starts"
sleep 30
python3 "$here/bench/load.py" --url "http://127.0.0.1:$port" --clients "$clients" --duration "$duration"
