#!/usr/bin/env bash
# The fleet page with N demo sandboxes (default 1024) collected every second, for S seconds
# (default 30), in headless Chromium: per-update times in the page, long tasks, and an in-place
# update against a full re-render of the same rows measured in the same page.
# Usage: bench/ui-fleet.sh [SANDBOXES] [SECONDS]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
mvn -B -q -o -DskipTests -pl web -am test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp
flags=$(sed -n 's:.*<chronicle.argLine>\(.*\)</chronicle.argLine>.*:\1:p' pom.xml)
java $flags -cp "web/target/test-classes:web/target/classes:$(cat web/target/bench.cp)" \
  dev.sandglass.web.ui.UiFleetBench "${1:-1024}" "${2:-30}"
