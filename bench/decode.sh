#!/usr/bin/env bash
# Decode speed of the store (select whole metrics; best of N) on an imported data dir.
# Usage: bench/decode.sh DATA_DIR [ROUNDS] [JAVA_OPTS...]   e.g. -XX:ActiveProcessorCount=1
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
data="$1"; rounds="${2:-30}"; shift; shift || true
mvn -B -q -o -DskipTests -pl storage test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp
flags=$(sed -n 's:.*<chronicle.argLine>\(.*\)</chronicle.argLine>.*:\1:p' pom.xml)
java $flags "$@" -cp "storage/target/test-classes:storage/target/classes:$(cat storage/target/bench.cp)" \
  dev.sandglass.storage.bench.DecodeBench "$data" "$rounds"
