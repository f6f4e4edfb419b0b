#!/usr/bin/env bash
# Crash loop, long: `sandglass serve --demo` (the real jar) killed with SIGKILL N times at random
# moments (seals every 300 ms and retention every 200 ms, so kills land in them too), then
# `sandglass import` killed N/2 times; checks every acknowledged sample after each restart.
# Prints kills survived and samples lost. Usage: bench/crashloop.sh [KILLS] [SEED]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
mvn -B -q -DskipTests package
mvn -B -q -DskipTests -pl web -am test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp
flags=$(sed -n 's:.*<chronicle.argLine>\(.*\)</chronicle.argLine>.*:\1:p' pom.xml)
cp="web/target/test-classes:web/target/classes:storage/target/classes:ingest/target/classes:query/target/classes:$(cat web/target/bench.cp)"
java $flags -cp "$cp" dev.sandglass.web.crash.CrashLoop "${1:-20}" "${2:-$RANDOM}" "$here/web/target/sandglass.jar"
