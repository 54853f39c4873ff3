#!/usr/bin/env bash
# Benchmark: `raftpipe restore <archive> --etcd-data-dir` (archive verified as it is read, db written fresh, .snap
# and WAL) against `etcdutl snapshot restore` (3.5.16) of the equivalent snapshot file, in one run; raftpipe
# under -Xmx256m. The archive is sealed first from the db (`seal --etcd-snapshot --skip-hash-check`).
#
#   itests/bench/restore-bench.sh [db-file]
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-3}
source itests/bench/lib.sh
ensure_built
ETCD35=itests/target/etcd-3.5
bash itests/etcd/fetch-etcd-3.5.sh "$ETCD35"
DB=${1:-}
if [ -z "$DB" ]; then
  DB=target/bench/bulkdb-200000-120000.etcd/member/snap/db
  [ -f "$DB" ] || itests/bench/db-bench.sh > /dev/null
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
java -jar "$JAR" seal --etcd-snapshot "$DB" --skip-hash-check --out "$WORK/a.snap" --quiet > /dev/null
BYTES=$(stat -c %s "$DB")
cat "$DB" "$WORK/a.snap" > /dev/null

best() { # best wall-clock seconds of RUNS runs of "$@", each into a fresh $WORK/out
  local b="" t0 t1 s
  for _ in $(seq "$RUNS"); do
    rm -rf "$WORK/out"
    t0=$(now); "$@" > /dev/null 2>&1; t1=$(now)
    s=$(calc "$t1 - $t0")
    if [ -z "$b" ] || less "$s" "$b"; then b=$s; fi
  done
  echo "$b"
}
peer=http://127.0.0.1:2380
etcdutl=$(best "$ETCD35/usr/bin/etcdutl" snapshot restore "$DB" --skip-hash-check --data-dir "$WORK/out" --name m1 \
  --initial-cluster "m1=$peer" --initial-advertise-peer-urls "$peer")
raftpipe=$(best java -Xmx256m -jar "$JAR" restore "$WORK/a.snap" --etcd-data-dir "$WORK/out" --name m1 \
  --initial-cluster "m1=$peer" --quiet)
cds=$(JAVA_OPTS=-Xmx256m best pipeline/raftpipe restore "$WORK/a.snap" --etcd-data-dir "$WORK/out" --name m1 \
  --initial-cluster "m1=$peer" --quiet)
ratio() { awk "BEGIN { printf \"%.2f\", $1 / $2 }"; }
echo "db: $DB ($BYTES bytes; archive $(stat -c %s "$WORK/a.snap") bytes); $(nproc) cores; best of $RUNS"
printf '%-58s %7.2f s\n' "etcdutl snapshot restore (3.5.16)" "$etcdutl"
printf '%-58s %7.2f s  (%s x)\n' "raftpipe restore --etcd-data-dir (archive verified, -Xmx256m)" "$raftpipe" "$(ratio "$raftpipe" "$etcdutl")"
printf '%-58s %7.2f s  (%s x)\n' "the same through pipeline/raftpipe (class-data sharing)" "$cds" "$(ratio "$cds" "$etcdutl")"
