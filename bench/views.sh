#!/usr/bin/env bash
# Sandbox views' figures, each beside a baseline measured in the same run:
#   fleet [MINUTES]       fleet-wide latest over 1024 sandboxes collected every second (default 15 min of data)
#   history [HOURS]       one sandbox's raw history at 1 s (default 24 h = 86,400 points)
#   sse [SUBS] [SECONDS]  CPU added by SUBS SSE subscribers at 1 s to a server collecting 1024 sandboxes (default 1000, 20)
# Usage: bench/views.sh [fleet|history|sse|all] [ARGS]
# env VIEWS_JAVA_OPTS adds JVM flags to the server side (e.g. the launcher's serve defaults)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
mvn -B -q -DskipTests -pl web -am test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp
flags=$(sed -n 's:.*<chronicle.argLine>\(.*\)</chronicle.argLine>.*:\1:p' pom.xml)
cp="web/target/test-classes:web/target/classes:ingest/target/classes:query/target/classes:storage/target/classes:$(cat web/target/bench.cp)"
run() { echo "\$ java ... ViewsBench $*"; java $flags ${VIEWS_JAVA_OPTS:-} -cp "$cp" dev.sandglass.web.bench.ViewsBench "$@"; }
mode="${1:-all}"
shift || true
case "$mode" in
  fleet) run fleet "${1:-15}" ;;
  history) run history "${1:-24}" ;;
  sse) run sse "${1:-1000}" "${2:-20}" ;;
  all) run fleet 15; run history 24; run sse 1000 20 ;;
  *) echo "usage: bench/views.sh [fleet|history|sse|all] [ARGS]" >&2; exit 2 ;;
esac
