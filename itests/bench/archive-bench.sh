#!/usr/bin/env bash
# Benchmark: `raftpipe seal` and `raftpipe verify` throughput in MB/s of state.bin, side by side with
# `openssl dgst -sha256` over the same state.bin bytes, on a backend of ENTRIES (default 500000) distinct
# keys with 1 KiB values (512 MB of values). Both commands run with a small heap (HEAP, default 160m) to
# show that memory does not grow with the backend; run it with ENTRIES=100000 to compare.
#
#   itests/bench/archive-bench.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
ENTRIES=${ENTRIES:-500000}
HEAP=${HEAP:-160m}
source itests/bench/lib.sh
ensure_built
bulk_backend "$ENTRIES" > /dev/null
WORK=target/bench/archive-$ENTRIES
values_mb=$(awk "BEGIN { print $ENTRIES * 1024 / 1000000 }")

run() { # label, extra JVM options
  local label=$1; shift
  rm -f "$WORK/b.snap" "$WORK/b.snap.info.json"
  local t0 t1 t2 t3 seal_json verify_json
  t0=$(now); seal_json=$(java "-Xmx$HEAP" "$@" -jar "$JAR" seal --quiet --json --backend "$WORK/backend.db" --out "$WORK/b.snap"); t1=$(now)
  t2=$(now); verify_json=$(java "-Xmx$HEAP" "$@" -jar "$JAR" verify --quiet --json "$WORK/b.snap"); t3=$(now)
  local seal_ms verify_ms
  seal_ms=$(printf '%s' "$seal_json" | sed -E 's/.*"duration_ms":([0-9]+).*/\1/')
  verify_ms=$(printf '%s' "$verify_json" | sed -E 's/.*"duration_ms":([0-9]+).*/\1/')
  rm -f "$WORK/state.bin"; tar -xzf "$WORK/b.snap" -C "$WORK" state.bin
  local state_bytes hash_s seal_s verify_s
  state_bytes=$(wc -c < "$WORK/state.bin")
  cat "$WORK/state.bin" > /dev/null
  local h0; h0=$(now); openssl dgst -sha256 "$WORK/state.bin" > /dev/null; hash_s=$(calc "$(now) - $h0")
  seal_s=$(calc "$seal_ms / 1000"); verify_s=$(calc "$verify_ms / 1000")
  local seal_wall verify_wall
  seal_wall=$(calc "$t1 - $t0"); verify_wall=$(calc "$t3 - $t2")
  awk -v l="$label" -v b="$state_bytes" -v s="$seal_s" -v v="$verify_s" -v h="$hash_s" -v sw="$seal_wall" -v vw="$verify_wall" 'BEGIN {
    printf "%s: state.bin %.0f MB\n", l, b / 1e6
    printf "  %-38s %6.2f s %7.0f MB/s\n", "openssl dgst -sha256 state.bin", h, b / 1e6 / h
    printf "  %-38s %6.2f s %7.0f MB/s  (%.0f%% of the hash; %.2f s wall)\n", "raftpipe seal (self-test included)", s, b / 1e6 / s, 100 * h / s, sw
    printf "  %-38s %6.2f s %7.0f MB/s  (%.0f%% of the hash; %.2f s wall)\n", "raftpipe verify (every record decoded)", v, b / 1e6 / v, 100 * h / v, vw
  }'
  rm -f "$WORK/state.bin"
}

echo "backend: $ENTRIES keys, $values_mb MB of values; JVM heap capped at $HEAP (wall clock includes JVM start)"
run "default (Avro blocks zstandard level 1, gzip layer stored)"
run "snappy blocks" -Draftpipe.archive.codec=snappy
run "uncompressed blocks" -Draftpipe.archive.codec=null
