#!/usr/bin/env bash
# The performance table in one run: each raftpipe job next to what an operator would otherwise run on the same
# bytes, whole process (JVM start included, through pipeline/raftpipe, the launcher with the build's
# class-data-sharing archive), best of RUNS (default 3), page cache warm; prints the ratios and the aims.
#
#   itests/bench/compare.sh                 # ~200 MB inputs (a few minutes, data made once under target/bench)
#   SCALE=large itests/bench/compare.sh     # 1-2 GB inputs: a 1.1 GB backend, a 2 GB WAL (made once: ~5 minutes, ~8 GB of disk)
#
# Data: a backend replayed from a bulk WAL (KEYS distinct keys, 1 KiB values), its sealed archive, and bulk WALs
# of ENTRIES (replay, wal inspect) and MIGRATE_ENTRIES (migrate) entries: the bundled single-member WAL a real
# etcd 3.4 wrote, continued with committed 1 KiB puts by the project's own WAL writer (BulkWal); etcd starts from
# them and replays every entry. Needs zstd, sha256sum, etcd and etcdctl 3.4 on the PATH.
set -euo pipefail
cd "$(dirname "$0")/../.."
source itests/bench/lib.sh
RUNS=${RUNS:-3}
# the issue's aims (ratio to the anchor): whole process on ~200 MB, throughput on 1-2 GB
if [ "${SCALE:-}" = large ]; then
  KEYS=${KEYS:-800000}; ENTRIES=${ENTRIES:-1800000}
  AIM_SEAL="≤ 1.5"; AIM_VERIFY="≤ 1.5"; AIM_REPLAY="≤ 0.5"; AIM_INSPECT="≤ 1.5"
else
  KEYS=${KEYS:-150000}; ENTRIES=${ENTRIES:-120000}
  AIM_SEAL="≤ 2.5"; AIM_VERIFY="≤ 2.5"; AIM_REPLAY="≤ 1.0"; AIM_INSPECT="≤ 2.5"
fi
MIGRATE_CLUSTERS=${MIGRATE_CLUSTERS:-32}; MIGRATE_ENTRIES=${MIGRATE_ENTRIES:-20000}
for tool in zstd sha256sum etcd etcdctl; do
  command -v "$tool" > /dev/null || { echo "compare.sh needs $tool on the PATH" >&2; exit 1; }
done
ensure_built
RP=pipeline/raftpipe
WORK=$(mktemp -d target/bench/compare-XXXXXX)
ETCD_PID=""
trap '[ -n "$ETCD_PID" ] && kill "$ETCD_PID" 2>/dev/null; rm -rf "$WORK"' EXIT

# best wall-clock seconds of RUNS runs of "$@"
best() { fresh true "$@"; }
# the same, with the command $1 run before each run, untimed (removing the last run's output)
fresh() {
  local before=$1 b="" t0 s; shift
  for _ in $(seq "$RUNS"); do
    eval "$before"
    t0=$(now); "$@" > /dev/null 2>&1 || { echo "failed: $*" >&2; "$@" >&2 || true; exit 3; }
    s=$(calc "$(now) - $t0")
    if [ -z "$b" ] || less "$s" "$b"; then b=$s; fi
  done
  echo "$b"
}
ROWS=()
row() { # job, input, anchor label, anchor s, raftpipe s, aim (ratio)
  ROWS+=("$(printf '| %s | %s | %s %.2f s | %.2f s | %.2f | %s |' "$1" "$2" "$3" "$4" "$5" "$(calc "$5 / $4")" "$6")")
}
mb() { stat -c %s "$@" | awk '{ t += $1 } END { printf "%d MB", t / 1000000 }'; }

echo "making or finding the data ($KEYS keys, $ENTRIES entries)..." >&2
backend=$(bulk_backend "$KEYS")
wal_data=$(bulk_data_dir "$ENTRIES")
migrate_data=$(realpath "$(bulk_data_dir "$MIGRATE_ENTRIES")")
cat "$backend" "$wal_data"/member/wal/*.wal > /dev/null

# seal --backend (self-test on) vs zstd | sha256sum; then verify of that archive vs sha256sum
anchor=$(best sh -c "zstd -1 -T1 -c '$backend' | sha256sum")
seal=$(JAVA_OPTS=-Xmx160m fresh "rm -f $WORK/s.snap $WORK/s.snap.info.json" $RP seal --backend "$backend" --out "$WORK/s.snap" --quiet)
row "seal --backend (self-test on), -Xmx160m" "backend $(mb "$backend")" "zstd -1 -T1 \\| sha256sum" "$anchor" "$seal" "$AIM_SEAL"
anchor=$(best sha256sum "$WORK/s.snap")
verify=$(JAVA_OPTS=-Xmx160m best $RP verify "$WORK/s.snap" --quiet)
row "verify of that archive, -Xmx160m" "archive $(mb "$WORK/s.snap")" "sha256sum" "$anchor" "$verify" "$AIM_VERIFY"

# replay vs etcd 3.4's own replay of the same WAL (a copy holding only member/wal; until it serves)
wal="$wal_data/member/wal"
name=$(java -jar "$JAR" wal dump "$wal" | head -n 1 | sed -E 's/.*"name\\":\\"([^\\]+)\\".*/\1/')
etcd_replay() {
  rm -rf "$WORK/etcd" && mkdir -p "$WORK/etcd/member/snap" && cp -r "$wal" "$WORK/etcd/member/"
  local client=$((20000 + RANDOM % 20000)) peer=$((40000 + RANDOM % 20000)) t0 t1
  t0=$(now)
  etcd --name "$name" --data-dir "$WORK/etcd" --listen-client-urls "http://127.0.0.1:$client" \
    --advertise-client-urls "http://127.0.0.1:$client" --listen-peer-urls "http://127.0.0.1:$peer" \
    --initial-advertise-peer-urls "http://127.0.0.1:$peer" --initial-cluster "$name=http://127.0.0.1:$peer" \
    > "$WORK/etcd.log" 2>&1 &
  ETCD_PID=$!
  until ETCDCTL_API=3 etcdctl --endpoints "http://127.0.0.1:$client" --command-timeout=2s endpoint health \
      > /dev/null 2>&1; do
    kill -0 "$ETCD_PID" 2>/dev/null || { echo "etcd exited:" >&2; tail "$WORK/etcd.log" >&2; exit 3; }
    sleep 0.02
  done
  t1=$(now)
  kill "$ETCD_PID"; wait "$ETCD_PID" 2>/dev/null || true; ETCD_PID=""
  calc "$t1 - $t0"
}
anchor=""
for _ in $(seq "$RUNS"); do
  s=$(etcd_replay)
  if [ -z "$anchor" ] || less "$s" "$anchor"; then anchor=$s; fi
done
replay=$(JAVA_OPTS=-Xmx128m fresh "rm -f $WORK/r.db" $RP replay --wal-dir "$wal" --backend "$WORK/r.db" --quiet)
row "replay, -Xmx128m" "WAL $(mb "$wal"/*.wal), $ENTRIES+ entries" "etcd 3.4 start until healthy" "$anchor" "$replay" "$AIM_REPLAY"
anchor=$(best sh -c "cat '$wal'/*.wal | sha256sum")
inspect=$(best $RP wal inspect "$wal" --quiet)
row "wal inspect of that WAL" "WAL $(mb "$wal"/*.wal)" "sha256sum" "$anchor" "$inspect" "$AIM_INSPECT"

# migrate at parallelism 2 vs the same single-cluster commands through xargs -P 2
head -c 32 /dev/zero > "$WORK/mask.key"
{
  echo "defaults { job = replay, target-dir = out }"
  echo "clusters = ["
  for i in $(seq 1 "$MIGRATE_CLUSTERS"); do echo "  { name = c$i, source = \"$migrate_data\" }"; done
  echo "]"
} > "$WORK/plan.conf"
declare -A per_second
for p in 1 2 4; do
  t=$(RUNS=1 fresh "rm -rf $WORK/out $WORK/plan.conf.journal.db*" $RP migrate --plan "$WORK/plan.conf" --parallelism "$p" --quiet)
  per_second[$p]=$(calc "$MIGRATE_CLUSTERS / $t")
  [ "$p" = 2 ] && migrate=$t
done
anchor=$(RUNS=1 fresh "rm -rf $WORK/xargs && mkdir -p $WORK/xargs" sh -c "seq 1 $MIGRATE_CLUSTERS | xargs -P 2 -I{} \
  $RP replay --wal-dir '$migrate_data/member/wal' --backend '$WORK/xargs/c{}.db' --quiet")
row "migrate --parallelism 2" "$MIGRATE_CLUSTERS clusters of $MIGRATE_ENTRIES entries" "xargs -P 2 of single replays" \
  "$anchor" "$migrate" "≤ 0.6"

# start-up, absolute
rm -rf "$WORK/sample" && mkdir -p "$WORK/sample" && tar -xzf examples/etcd-3.4/single.tar.gz -C "$WORK/sample"
version=$(RUNS=5 best $RP version)
help=$(RUNS=5 best $RP --help)
sample=$(RUNS=5 best $RP wal inspect "$WORK/sample/single/n1.etcd/member/wal" --quiet)

echo "$(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); $(java -version 2>&1 | head -1); best of $RUNS; $(date -u +%Y-%m-%d)"
echo
echo "| job | input | anchor, same bytes | raftpipe | ratio | aim |"
echo "|---|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
echo
printf 'migrate clusters/s: parallelism 1: %.2f, 2: %.2f, 4: %.2f\n' "${per_second[1]}" "${per_second[2]}" "${per_second[4]}"
printf 'start-up through pipeline/raftpipe: version %.2f s (aim 0.25), --help %.2f s (0.3), wal inspect of the sample %.2f s (0.6)\n' \
  "$version" "$help" "$sample"
