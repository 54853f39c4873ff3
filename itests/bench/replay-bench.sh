#!/usr/bin/env bash
# Benchmark: `raftpipe replay` of a large WAL into a fresh SQLite backend, side by side in one run with
# etcd's own replay of the same WAL (etcd started on a copy holding only member/wal replays every entry
# before it answers; measured from its start until `etcdctl endpoint health` succeeds).
#
#   itests/bench/replay-bench.sh [etcd-data-dir]
#
# Without a data dir it uses the bulk WAL under target/bench (ENTRIES, default 120000, of 1 KiB puts).
# Needs etcd and etcdctl on the PATH (apt-get install -y etcd-server etcd-client).
set -euo pipefail
cd "$(dirname "$0")/../.."
ENTRIES=${ENTRIES:-120000}
source itests/bench/lib.sh
ensure_built
DATA=${1:-$(bulk_data_dir "$ENTRIES")}
WAL="$DATA/member/wal"
WORK=$(mktemp -d target/bench/replay-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cat "$WAL"/*.wal > /dev/null

# raftpipe
t0=$(now)
json=$(java -jar "$JAR" replay --wal-dir "$WAL" --backend "$WORK/replayed.db" --json --quiet)
t1=$(now)
# the first (top-level) occurrence: the report's snapshots list repeats "revision" after it
field() { printf '%s' "$json" | grep -o "\"$1\":[0-9]*" | head -1 | cut -d: -f2; }
applied=$(field applied); revision=$(field revision); bytes=$(field bytes_read); ms=$(field duration_ms)
rp_wall=$(calc "$t1 - $t0"); rp_stream=$(calc "$ms / 1000")

# etcd on a copy holding only member/wal
mkdir -p "$WORK/etcd/member/snap" && cp -r "$WAL" "$WORK/etcd/member/"
port() { echo $((20000 + RANDOM % 30000)); }
CLIENT=$(port); PEER=$(port)
NAME=$(java -jar "$JAR" wal dump "$WAL" | head -n 1 | sed -E 's/.*"name\\":\\"([^\\]+)\\".*/\1/')
t0=$(now)
etcd --name "$NAME" --data-dir "$WORK/etcd" --listen-client-urls "http://127.0.0.1:$CLIENT" \
  --advertise-client-urls "http://127.0.0.1:$CLIENT" --listen-peer-urls "http://127.0.0.1:$PEER" \
  --initial-advertise-peer-urls "http://127.0.0.1:$PEER" --initial-cluster "$NAME=http://127.0.0.1:$PEER" \
  > "$WORK/etcd.log" 2>&1 &
ETCD_PID=$!
trap 'kill $ETCD_PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
until ETCDCTL_API=3 etcdctl --endpoints "http://127.0.0.1:$CLIENT" --command-timeout=2s endpoint health >/dev/null 2>&1; do
  if ! kill -0 "$ETCD_PID" 2>/dev/null; then echo "etcd exited; see its log:" >&2; tail "$WORK/etcd.log" >&2; exit 3; fi
  sleep 0.05
done
t1=$(now)
etcd_wall=$(calc "$t1 - $t0")
etcd_rev=$(ETCDCTL_API=3 etcdctl --endpoints "http://127.0.0.1:$CLIENT" endpoint status -w json \
  | sed -E 's/.*"revision":([0-9]+).*/\1/')
kill "$ETCD_PID"; wait "$ETCD_PID" 2>/dev/null || true

rate() { awk "BEGIN { printf \"%d entries/s, %.0f MB/s\", $applied / $1, $bytes / 1000000 / $1 }"; }
echo "WAL: $WAL ($applied entries, $bytes bytes of records)"
printf '%-42s %7.2f s  %s\n' "raftpipe replay (stream, duration_ms)" "$rp_stream" "$(rate "$rp_stream")"
printf '%-42s %7.2f s  %s\n' "raftpipe replay (process wall clock)" "$rp_wall" "$(rate "$rp_wall")"
printf '%-42s %7.2f s  %s\n' "etcd 3.4 start-up replay until healthy" "$etcd_wall" "$(rate "$etcd_wall")"
echo "revision: raftpipe $revision, etcd $etcd_rev"
[ "$revision" = "$etcd_rev" ] || { echo "the revisions differ" >&2; exit 2; }
