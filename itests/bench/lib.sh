# Shared by the benchmark scripts: sourced from the repository root.
JAR=pipeline/target/raftpipe.jar
CP="itests/target/test-classes:$JAR"

ensure_built() {
  if [ ! -f "$JAR" ] || [ ! -d itests/target/test-classes ]; then
    mvn -B -q -DskipTests install
  fi
}

# Prints the data dir of a bulk etcd WAL: the bundled single-member WAL continued with $1 committed
# puts of 1 KiB values (120000 entries: three 64 MB segments). Made once under target/bench.
bulk_data_dir() {
  local entries=$1 work=target/bench
  local data="$work/bulk-$entries.etcd"
  if [ ! -d "$data/member/wal" ]; then
    rm -rf "$work/single" "$data" && mkdir -p "$work"
    tar -xzf examples/etcd-3.4/single.tar.gz -C "$work"
    java -cp "$CP" dev.raftpipe.itests.bench.BulkWal "$work/single/n1.etcd/member/wal" "$data" "$entries" >&2
  fi
  echo "$data"
}

# Prints the path of a backend holding $1 distinct keys with 1 KiB values, replayed from a bulk WAL. Made once.
bulk_backend() {
  local keys=$1 work=target/bench/archive-$1
  if [ ! -f "$work/backend.db" ]; then
    mkdir -p "$work" && rm -rf "$work/single" "$work/data"
    tar -xzf examples/etcd-3.4/single.tar.gz -C "$work"
    java -cp "$CP" dev.raftpipe.itests.bench.BulkWal "$work/single/n1.etcd/member/wal" "$work/data" "$keys" 1024 "$keys" >&2
    java -jar "$JAR" replay --quiet --wal-dir "$work/data/member/wal" --backend "$work/backend.db" >&2
    rm -rf "$work/data"
  fi
  echo "$work/backend.db"
}

now() { date +%s.%N; }
calc() { awk "BEGIN { print $1 }"; }
less() { awk "BEGIN { exit !($1 < $2) }"; }
