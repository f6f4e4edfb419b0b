#!/usr/bin/env bash
# Rollups and the capacity report: generates a fleet's history at 1 s straight through the storage
# API twice (raw kept for the whole history; raw kept one day, the rest as rollups only), prints the
# time to generate and seal it, bytes on disk for raw and for rollups, the capacity report's time
# against the same figures from raw samples by PromQL (same store, same run) with the largest
# difference per figure, and max_over_time(memory[1d]) at step 1h from raw and from rollups.
# Usage: bench/rollups.sh [--days D] [--sandboxes N] [--chunk-minutes M] [--dir DIR]   (issue size: --days 30 --sandboxes 100)
# --chunk-minutes 10 writes the history as a live server seals it (two rollup excerpts every 10 minutes,
# compacted per finished day); the default 120 writes as an import does.
# --generate-only writes both stores and their sizes (and DIR/bench.params) and stops; --bench-only runs only
# the timing step on stores a --generate-only run left in --dir (same days and end), e.g. for a quiet run later.
# The timing JVM gets -Xmx12g (raw PromQL over 30 days of 100 sandboxes needs it); ROLLUP_BENCH_JAVA_OPTS replaces it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
days=3; sandboxes=20; chunk=120; dir=""; generate=1; bench=1
while (($#)); do
  case "$1" in
    --days) days="$2"; shift 2;;
    --sandboxes) sandboxes="$2"; shift 2;;
    --chunk-minutes) chunk="$2"; shift 2;;
    --dir) dir="$2"; shift 2;;
    --generate-only) bench=0; shift;;
    --bench-only) generate=0; shift;;
    *) echo "usage: bench/rollups.sh [--days D] [--sandboxes N] [--chunk-minutes M] [--dir DIR] [--generate-only | --bench-only]" >&2; exit 2;;
  esac
done
if ((generate == 0)); then
  [ -n "$dir" ] && [ -f "$dir/bench.params" ] || { echo "--bench-only needs --dir DIR holding a --generate-only run (DIR/bench.params)" >&2; exit 2; }
  # shellcheck disable=SC1091
  . "$dir/bench.params"   # days, sandboxes, end of the generated history
fi
[ -n "$dir" ] || dir="$(mktemp -d /tmp/sandglass-rollups-bench.XXXXXX)"
mvn -B -q -o -DskipTests -pl web -am test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp
flags=$(sed -n 's:.*<chronicle.argLine>\(.*\)</chronicle.argLine>.*:\1:p' pom.xml)
cp="web/target/test-classes:web/target/classes:query/target/classes:storage/target/classes:ingest/target/classes:$(cat web/target/bench.cp)"
if ((generate)); then
  end=$(( $(date +%s) / 3600 * 3600 ))
  rm -rf "$dir/raw" "$dir/rolled" "$dir/bench.params"
  echo "== $sandboxes sandboxes x $days days at 1 s, ending $(date -u -d @"$end" +%FT%TZ), in $dir (commit $(git rev-parse --short HEAD 2>/dev/null || cat COMMIT 2>/dev/null || echo unknown))"
  java $flags -XX:+UseParallelGC -cp "$cp" dev.sandglass.web.bench.FleetHistory "$dir/raw" "$days" "$sandboxes" 400 "$end" "$chunk"
  java $flags -XX:+UseParallelGC -cp "$cp" dev.sandglass.web.bench.FleetHistory "$dir/rolled" "$days" "$sandboxes" 1 "$end" "$chunk" >/dev/null
  printf 'days=%s\nsandboxes=%s\nend=%s\n' "$days" "$sandboxes" "$end" > "$dir/bench.params"
else
  echo "== timing only: $sandboxes sandboxes x $days days ending $(date -u -d @"$end" +%FT%TZ), generated earlier in $dir"
fi
for d in raw rolled; do
  for part in segments rollups; do
    printf '%-7s %-9s %12s bytes allocated, %12s apparent\n' "$d" "$part" \
      "$(du -s --block-size=1 "$dir/$d/$part" | cut -f1)" "$(du -s -b "$dir/$d/$part" | cut -f1)"
  done
done
if ((bench)); then
  # shellcheck disable=SC2086
  java $flags ${ROLLUP_BENCH_JAVA_OPTS:--Xmx12g} -cp "$cp" dev.sandglass.web.bench.RollupBench "$dir/raw" "$dir/rolled" "$days" "$end" 2>/dev/null
fi
echo "data left in $dir (delete it when done)"
