#!/usr/bin/env bash
# In-process engine timing (no HTTP) on a data dir imported from the reference set: per query the
# median range evaluation and the time to select its metric alone (the storage share).
# Usage: bench/engine.sh DATA_DIR [RUNS] [JAVA_OPTS...]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
data="$1"; runs="${2:-5}"; shift; shift || true
mvn -B -q -o -DskipTests -pl query -am test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp
flags=$(sed -n 's:.*<chronicle.argLine>\(.*\)</chronicle.argLine>.*:\1:p' pom.xml)
java $flags "$@" -cp "query/target/test-classes:query/target/classes:$(cat query/target/bench.cp)" \
  dev.sandglass.query.bench.QueryBench "$data" ../shared/bench/queries.txt "$runs"
