#!/usr/bin/env bash
# Benchmark: `raftpipe db inspect` (every page checked, etcdutl's status hash, etcd's hash_kv, key counts)
# against `etcdutl snapshot status` (3.5.16: bbolt's check, status hash) and `sha256sum` of the same db,
# side by side in one run on one machine, page cache warm.
#
#   itests/bench/db-bench.sh [db-file]
#
# Without a file it makes one under target/bench with a real etcd 3.5: PUTS (default 200000) puts of
# 1 KiB values over KEYS (default 120000) keys, an uncompacted history (a db of about 280 MB). Each side
# runs RUNS times (default 3); the best is kept. raftpipe runs under -Xmx256m.
set -euo pipefail
cd "$(dirname "$0")/../.."
PUTS=${PUTS:-200000}
KEYS=${KEYS:-120000}
RUNS=${RUNS:-3}
source itests/bench/lib.sh
ensure_built
ETCD35=itests/target/etcd-3.5
bash itests/etcd/fetch-etcd-3.5.sh "$ETCD35"
DB=${1:-}
if [ -z "$DB" ]; then
  data=target/bench/bulkdb-$PUTS-$KEYS.etcd
  if [ ! -f "$data/member/snap/db" ]; then
    rm -rf "$data"
    echo "making $data with etcd 3.5 ($PUTS puts over $KEYS keys)..." >&2
    java -Draftpipe.etcd35.bin="$ETCD35/usr/bin" -cp "$CP" dev.raftpipe.itests.BulkDb "$data" 3.5 "$PUTS" "$KEYS" 1024
  fi
  DB=$data/member/snap/db
fi
BYTES=$(stat -c %s "$DB")
cat "$DB" > /dev/null

best() { # best wall-clock seconds of RUNS runs of "$@"
  local b="" t0 t1 s
  for _ in $(seq "$RUNS"); do
    t0=$(now); "$@" > /dev/null; t1=$(now)
    s=$(calc "$t1 - $t0")
    if [ -z "$b" ] || less "$s" "$b"; then b=$s; fi
  done
  echo "$b"
}
sha=$(best sha256sum "$DB")
etcdutl=$(best "$ETCD35/usr/bin/etcdutl" snapshot status "$DB" -w json)
jar=$(best java -Xmx256m -jar "$JAR" db inspect --json "$DB")
cds=$(best pipeline/raftpipe db inspect --json "$DB")
best_read=""
for _ in $(seq "$RUNS"); do
  ms=$(java -Xmx256m -jar "$JAR" db inspect --json "$DB" | sed -E 's/.*"duration_ms":([0-9]+).*/\1/')
  s=$(calc "$ms / 1000")
  if [ -z "$best_read" ] || less "$s" "$best_read"; then best_read=$s; fi
done

mbps() { awk "BEGIN { printf \"%d\", $BYTES / 1000000 / $1 }"; }
ratio() { awk "BEGIN { printf \"%.2f\", $1 / $2 }"; }
echo "db: $DB ($BYTES bytes); $(nproc) cores; best of $RUNS"
printf '%-46s %7s  %8s  %s\n' "command" "seconds" "MB/s" "vs sha256sum"
printf '%-46s %7.2f  %8s  %s\n' "sha256sum" "$sha" "$(mbps "$sha")" "1.00"
printf '%-46s %7.2f  %8s  %s\n' "etcdutl snapshot status (3.5.16)" "$etcdutl" "$(mbps "$etcdutl")" "$(ratio "$etcdutl" "$sha")"
printf '%-46s %7.2f  %8s  %s\n' "raftpipe db inspect (java -jar, whole process)" "$jar" "$(mbps "$jar")" "$(ratio "$jar" "$sha")"
printf '%-46s %7.2f  %8s  %s\n' "raftpipe db inspect (pipeline/raftpipe, AppCDS)" "$cds" "$(mbps "$cds")" "$(ratio "$cds" "$sha")"
printf '%-46s %7.2f  %8s  %s\n' "raftpipe db inspect (reading, duration_ms)" "$best_read" "$(mbps "$best_read")" "$(ratio "$best_read" "$sha")"
