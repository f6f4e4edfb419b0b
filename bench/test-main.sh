#!/usr/bin/env bash
# Runs a main class from a module's test classes with that module's classpath and Chronicle's
# JVM flags: the shared start of the benchmark and tool scripts.
# Usage: bench/test-main.sh MODULE CLASS [ARGS...]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
module="$1"; class="$2"; shift 2
mvn -B -q -o -DskipTests -pl "$module" -am test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp
flags=$(sed -n 's:.*<chronicle.argLine>\(.*\)</chronicle.argLine>.*:\1:p' pom.xml)
java $flags -cp "$module/target/test-classes:$module/target/classes:$(cat "$module/target/bench.cp")" "$class" "$@"
