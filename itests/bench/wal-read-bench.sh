#!/usr/bin/env bash
# Benchmark: MB/s of `raftpipe wal inspect` (framing, CRC-32C chain, payload, raft resolution) against
# `openssl dgst -sha256` over the same segment files, in one run on one machine.
#
#   itests/bench/wal-read-bench.sh [wal-dir]
#
# Without a wal-dir it makes one under target/bench: the bundled single-member WAL continued with
# ENTRIES (default 120000) committed 1 KiB puts, three 64 MB segments. Files are read once first so both
# sides are measured from the page cache; each side runs RUNS times (default 3) and the best is kept.
set -euo pipefail
cd "$(dirname "$0")/../.."
ENTRIES=${ENTRIES:-120000}
RUNS=${RUNS:-3}
source itests/bench/lib.sh
ensure_built
WAL=${1:-$(bulk_data_dir "$ENTRIES")/member/wal}

FILES=("$WAL"/*.wal)
BYTES=$(cat "${FILES[@]}" | wc -c)
cat "${FILES[@]}" > /dev/null

best_hash=""
for _ in $(seq "$RUNS"); do
  t0=$(now); openssl dgst -sha256 "${FILES[@]}" > /dev/null; t1=$(now)
  s=$(calc "$t1 - $t0")
  if [ -z "$best_hash" ] || less "$s" "$best_hash"; then best_hash=$s; fi
done

best_read="" best_wall=""
for _ in $(seq "$RUNS"); do
  t0=$(now); json=$(java -jar "$JAR" wal inspect --json --quiet "$WAL"); t1=$(now)
  wall=$(calc "$t1 - $t0")
  read_ms=$(printf '%s' "$json" | sed -E 's/.*"duration_ms":([0-9]+).*/\1/')
  read_s=$(calc "$read_ms / 1000")
  if [ -z "$best_read" ] || less "$read_s" "$best_read"; then best_read=$read_s; fi
  if [ -z "$best_wall" ] || less "$wall" "$best_wall"; then best_wall=$wall; fi
done
entries=$(printf '%s' "$json" | sed -E 's/.*"entries":([0-9]+).*/\1/')

mbps() { awk "BEGIN { printf \"%d\", $BYTES / 1000000 / $1 }"; }
echo "WAL: $WAL (${#FILES[@]} segments, $BYTES bytes, $entries entries)"
printf '%-44s %8.2f s  %6s MB/s\n' "openssl dgst -sha256" "$best_hash" "$(mbps "$best_hash")"
printf '%-44s %8.2f s  %6s MB/s\n' "raftpipe wal inspect (stream, duration_ms)" "$best_read" "$(mbps "$best_read")"
printf '%-44s %8.2f s  %6s MB/s\n' "raftpipe wal inspect (process wall clock)" "$best_wall" "$(mbps "$best_wall")"
