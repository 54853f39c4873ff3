#!/usr/bin/env bash
# Benchmark: `raftpipe export --etcd-snapshot` of an etcd db (live state, and --history) against `cp` + `sha256sum`
# of the same file, side by side in one run, raftpipe under -Xmx256m (its peak RSS is printed: memory stays flat).
#
#   itests/bench/export-bench.sh [db-file]
#
# Without a file it uses the db db-bench.sh makes with a real etcd 3.5 (200 000 puts of 1 KiB over 120 000 keys).
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-3}
source itests/bench/lib.sh
ensure_built
DB=${1:-}
if [ -z "$DB" ]; then
  DB=target/bench/bulkdb-200000-120000.etcd/member/snap/db
  [ -f "$DB" ] || itests/bench/db-bench.sh > /dev/null
fi
BYTES=$(stat -c %s "$DB")
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
cat "$DB" > /dev/null

best() { # best wall-clock seconds of RUNS runs of "$@", each after rm -f of $OUT/*
  local b="" t0 t1 s
  for _ in $(seq "$RUNS"); do
    rm -f "$OUT"/*
    t0=$(now); "$@" > /dev/null; t1=$(now)
    s=$(calc "$t1 - $t0")
    if [ -z "$b" ] || less "$s" "$b"; then b=$s; fi
  done
  echo "$b"
}
copy_and_hash() { cp "$DB" "$OUT/copy.db" && sha256sum "$OUT/copy.db"; }
rss() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1; }

cp_sha=$(best copy_and_hash)
live=$(best java -Xmx256m -jar "$JAR" export "$DB" --etcd-snapshot "$OUT/live.db" --quiet)
history=$(best java -Xmx256m -jar "$JAR" export "$DB" --etcd-snapshot "$OUT/history.db" --history --quiet)
rm -f "$OUT"/*
live_rss=$(rss java -Xmx256m -jar "$JAR" export "$DB" --etcd-snapshot "$OUT/live.db" --quiet)
rm -f "$OUT"/*
history_rss=$(rss java -Xmx256m -jar "$JAR" export "$DB" --etcd-snapshot "$OUT/history.db" --history --quiet)

mbps() { awk "BEGIN { printf \"%d\", $BYTES / 1000000 / $1 }"; }
ratio() { awk "BEGIN { printf \"%.2f\", $1 / $2 }"; }
echo "db: $DB ($BYTES bytes); $(nproc) cores; best of $RUNS; raftpipe under -Xmx256m"
printf '%-44s %7s  %6s  %-12s %s\n' "command" "seconds" "MB/s" "vs cp+sha" "peak RSS"
printf '%-44s %7.2f  %6s  %-12s %s\n' "cp + sha256sum" "$cp_sha" "$(mbps "$cp_sha")" "1.00" "-"
printf '%-44s %7.2f  %6s  %-12s %s\n' "raftpipe export (live state)" "$live" "$(mbps "$live")" "$(ratio "$live" "$cp_sha")" "$((live_rss / 1024)) MB"
printf '%-44s %7.2f  %6s  %-12s %s\n' "raftpipe export --history" "$history" "$(mbps "$history")" "$(ratio "$history" "$cp_sha")" "$((history_rss / 1024)) MB"
