#!/usr/bin/env bash
# Benchmark: `raftpipe migrate` of CLUSTERS clusters (default 32) at parallelism 1, 2 and 4 on this
# machine, one JVM each time; prints clusters/s and the speed-up over parallelism 1.
#
#   itests/bench/migrate-bench.sh [job]      job: replay (default), backup or seal
#
# Every cluster reads the same bulk WAL (ENTRIES, default 20000, of 1 KiB puts; the page cache holds
# it after the first run), and writes its own output under target/bench.
set -euo pipefail
cd "$(dirname "$0")/../.."
CLUSTERS=${CLUSTERS:-32}
ENTRIES=${ENTRIES:-20000}
JOB=${1:-replay}
source itests/bench/lib.sh
ensure_built
DATA=$(realpath "$(bulk_data_dir "$ENTRIES")")
cat "$DATA"/member/wal/*.wal > /dev/null
WORK=$(mktemp -d target/bench/migrate-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
head -c 32 /dev/zero > "$WORK/mask.key"

base=""
for p in 1 2 4; do
  dir="$WORK/p$p" && mkdir -p "$dir"
  {
    echo "defaults { job = $JOB, target-dir = out, mask-prefixes = [\"/registry/secrets/\"], mask-key-file = \"$WORK/mask.key\" }"
    echo "clusters = ["
    for i in $(seq 1 "$CLUSTERS"); do echo "  { name = c$i, source = \"$DATA\" }"; done
    echo "]"
  } > "$dir/plan.conf"
  t0=$(now)
  java -Draftpipe.wal-sink.preallocate=off -jar "$JAR" migrate --plan "$dir/plan.conf" --parallelism "$p" \
    --quiet --json > "$dir/report.json" || { cat "$dir/report.json"; exit 1; }
  t1=$(now)
  wall=$(calc "$t1 - $t0")
  [ -z "$base" ] && base=$wall
  printf 'parallelism %d: %d %s jobs of %d entries in %6.1f s  %5.2f clusters/s  speed-up %.2fx\n' \
    "$p" "$CLUSTERS" "$JOB" "$ENTRIES" "$wall" "$(calc "$CLUSTERS / $wall")" "$(calc "$base / $wall")"
  rm -rf "$dir/out"
done
