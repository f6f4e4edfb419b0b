#!/usr/bin/env bash
# Latency of one collection on a full 1024-slot registry: seqlock read of every slot, then the
# snapshot made durable in the WAL. Prints p50/p99/p99.9 beside the read-only baseline.
# Usage: bench/registry.sh [ROUNDS]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
mvn -B -q -DskipTests -pl ingest -am test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp
# The same --add-opens/--add-exports the root pom gives Surefire.
flags=$(sed -n 's:.*<chronicle.argLine>\(.*\)</chronicle.argLine>.*:\1:p' pom.xml)
java $flags -cp "ingest/target/test-classes:ingest/target/classes:$(cat ingest/target/bench.cp)" \
  dev.sandglass.ingest.bench.RegistryCommitBench "${1:-20000}"
