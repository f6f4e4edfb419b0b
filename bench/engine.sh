#!/usr/bin/env bash
# In-process engine figures (no HTTP) on a data dir imported from the reference set: per query the
# median range and instant evaluation, the heap bytes each run allocates (the store's share and the
# engine's), the bytes and time of its JSON answer, and the time to select its metric alone.
# Usage: bench/engine.sh DATA_DIR [RUNS] [JAVA_OPTS...]   e.g. bench/engine.sh DIR 5 -Xmx64m -XX:+UseSerialGC
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
data="$1"; runs="${2:-5}"; shift; shift || true
mvn -B -q -o -DskipTests -pl web -am test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp
flags=$(sed -n 's:.*<chronicle.argLine>\(.*\)</chronicle.argLine>.*:\1:p' pom.xml)
cp="web/target/test-classes:web/target/classes:query/target/classes:storage/target/classes:ingest/target/classes"
java $flags "$@" -cp "$cp:$(cat web/target/bench.cp)" \
  dev.sandglass.web.api.QueryBench "$data" ../shared/bench/queries.txt "$runs"
