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
echo "The backend is a plain SQLite file: try  sqlite3 $WORK/single.db 'SELECT name, value FROM meta'"
