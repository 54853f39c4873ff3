#!/usr/bin/env bash
# Builds raftpipe and runs it on the bundled sample: a real etcd 3.4 data dir (examples/etcd-3.4/single.tar.gz,
# made by Debian's etcd 3.4.23). Everything it writes goes under target/quickstart.
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -B -q -DskipTests package
JAR=pipeline/target/raftpipe.jar
WORK=target/quickstart
rm -rf "$WORK" && mkdir -p "$WORK"
tar -xzf examples/etcd-3.4/single.tar.gz -C "$WORK"
WAL="$WORK/single/n1.etcd/member/wal"

echo "== raftpipe wal inspect $WAL"
java -jar "$JAR" wal inspect "$WAL"
echo
echo "== raftpipe wal dump $WAL (first 5 of $(java -jar "$JAR" wal dump "$WAL" | wc -l) entries)"
java -jar "$JAR" wal dump "$WAL" | head -n 5
echo
echo "== raftpipe replay --wal-dir $WAL --backend $WORK/single.db"
java -jar "$JAR" replay --wal-dir "$WAL" --backend "$WORK/single.db"
echo
echo "== raftpipe seal --backend $WORK/single.db --out $WORK/single.snap, then verify it"
java -jar "$JAR" seal --backend "$WORK/single.db" --out "$WORK/single.snap"
java -jar "$JAR" verify "$WORK/single.snap" | grep -E '^(ok|checksum|record counts)'
echo
DATA="$WORK/single/n1.etcd"
echo "== raftpipe db inspect $DATA/member/snap/db (etcd's own backend file)"
java -jar "$JAR" db inspect "$DATA/member/snap/db"
echo
echo "== raftpipe replay --data-dir $DATA --backend $WORK/from-data-dir.db (as etcd starts: db, .snap, WAL tail)"
java -jar "$JAR" replay --data-dir "$DATA" --backend "$WORK/from-data-dir.db" | grep -E "^(data dir|seeded)"
echo
echo "== raftpipe export $WORK/single.snap --etcd-snapshot $WORK/single.etcd-snapshot (for etcdutl snapshot restore)"
java -jar "$JAR" export "$WORK/single.snap" --etcd-snapshot "$WORK/single.etcd-snapshot" | grep -E '^(keys|revision|sha256)'
echo
echo "== raftpipe restore $WORK/single.snap --etcd-data-dir $WORK/restored.etcd (a member etcd starts from)"
java -jar "$JAR" restore "$WORK/single.snap" --etcd-data-dir "$WORK/restored.etcd" --name m1 \
  --initial-cluster m1=http://127.0.0.1:2380 | grep -E '^(member|keys|revision)'
echo
echo "The backend is a plain SQLite file: try  sqlite3 $WORK/single.db 'SELECT name, value FROM meta'"
echo "Start the restored member with: etcd --name m1 --data-dir $WORK/restored.etcd \\"
echo "  --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \\"
echo "  --initial-cluster m1=http://127.0.0.1:2380"
