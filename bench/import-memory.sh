#!/usr/bin/env bash
# Wall time and peak resident memory (VmHWM, from /usr/bin/time) of `sandglass import FILE` under
# several JVM settings, in turn, ROUNDS times each, each into a fresh data dir: the launcher's own
# import defaults ("launcher"), and each entry of VARIANTS (';'-separated, each passed as
# SANDGLASS_JAVA_OPTS, with the launcher's class-data archive when it exists). Prints each run,
# then per variant the median wall and peak RSS and how many flushes the import made.
#
# Usage: bench/import-memory.sh FILE [ROUNDS] [IMPORT FLAGS...]   (default 2 rounds)
#   env VARIANTS, e.g. VARIANTS='-Xmx512m -XX:+UseParallelGC;-Xmx256m -XX:+UseParallelGC'
#   e.g. bash bench/import-memory.sh /tmp/sandglass-bench/fleet.om 3
#        MEMORY_LIMITS='256MiB 1GiB' bash bench/import-memory.sh big.om   (also the launcher with --memory.limit each)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
file="${1:?usage: bench/import-memory.sh FILE [ROUNDS] [IMPORT FLAGS...]}"
rounds="${2:-2}"
shift $(( $# >= 2 ? 2 : 1 ))
work="$(mktemp -d /tmp/sandglass-import-memory.XXXXXX)"
trap 'rm -rf "$work"' EXIT
"$here/sandglass" --version > /dev/null  # builds the jar now, outside the measured runs
jsa="$here/web/target/sandglass-import.jsa"
names=("launcher")
opts=("")
limits=("")
for l in ${MEMORY_LIMITS:-}; do names+=("launcher --memory.limit $l"); opts+=(""); limits+=("$l"); done
IFS=';' read -r -a vs <<< "${VARIANTS:-}"
for v in "${vs[@]}"; do
  [ -n "$v" ] || continue
  names+=("$v"); limits+=("")
  [ -f "$jsa" ] && v="$v -XX:SharedArchiveFile=$jsa -Xlog:cds=off,cds+dynamic=off"
  opts+=("$v")
done
declare -A walls rss flushes
for r in $(seq 1 "$rounds"); do
  for k in "${!names[@]}"; do
    rm -rf "$work/data"
    extra=()
    [ -n "${limits[$k]}" ] && extra=(--memory.limit "${limits[$k]}")
    if [ -n "${opts[$k]}" ]; then
      SANDGLASS_JAVA_OPTS="${opts[$k]}" /usr/bin/time -f "%e %M" -o "$work/time" "$here/sandglass" import "$file" \
        --data-dir "$work/data" --retention 100y "${extra[@]}" "$@" > "$work/log" 2>&1 || { echo "${names[$k]}: import failed"; grep -v INFO "$work/log" | tail -3; continue; }
    else
      /usr/bin/time -f "%e %M" -o "$work/time" "$here/sandglass" import "$file" \
        --data-dir "$work/data" --retention 100y "${extra[@]}" "$@" > "$work/log" 2>&1 || { echo "${names[$k]}: import failed"; grep -v INFO "$work/log" | tail -3; continue; }
    fi
    read -r secs kb < "$work/time"
    f=$(awk '/^memory: / { print $2 }' "$work/log"); f=${f:-1}
    samples=$(awk '/^samples:/ { print $2 }' "$work/log")
    printf "round %d  %-60s %6.2f s wall, peak %5d MiB resident, %s samples, %s flush(es)\n" "$r" "${names[$k]}" "$secs" $((kb / 1024)) "$samples" "$f"
    walls[$k]="${walls[$k]:-} $secs"; rss[$k]="${rss[$k]:-} $((kb / 1024))"; flushes[$k]=$f
  done
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)] }'; }
for k in "${!names[@]}"; do
  printf "median  %-60s %6s s wall, peak %5s MiB resident (%s flush(es))\n" "${names[$k]}" \
    "$(echo "${walls[$k]:-}" | median)" "$(echo "${rss[$k]:-}" | median)" "${flushes[$k]:-?}"
done
