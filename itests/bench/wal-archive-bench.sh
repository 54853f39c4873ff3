#!/usr/bin/env bash
# Benchmark: `raftpipe backup --archive` (resolve, redaction pass, WAL rewrite, gzip -1, SHA-256 of every file,
# self-test that re-reads everything, one segment at a time; and the peak scratch disk beside the archive) of a 120 000-entry WAL (three 64 MB segments of 1 KiB puts)
# against `tar czf` of the same data dir, and `raftpipe verify` of the archive against `sha256sum` of it, side by
# side in one run, page cache warm, best of RUNS (default 3). raftpipe runs under -Xmx256m.
#
#   itests/bench/wal-archive-bench.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
ENTRIES=${ENTRIES:-120000}
RUNS=${RUNS:-3}
source itests/bench/lib.sh
ensure_built
DATA=$(bulk_data_dir "$ENTRIES")
WORK=target/bench/wal-archive
mkdir -p "$WORK"
cat "$DATA"/member/wal/* > /dev/null

best() { # best wall-clock seconds of RUNS runs of "$@", each after `rm -f $WORK/out*`
  local b="" t0 t1 s
  for _ in $(seq "$RUNS"); do
    rm -rf "$WORK"/out*
    t0=$(now); "$@" > /dev/null; t1=$(now)
    s=$(calc "$t1 - $t0")
    if [ -z "$b" ] || less "$s" "$b"; then b=$s; fi
  done
  echo "$b"
}
tar_s=$(best tar czf "$WORK/out.tar.gz" -C "$DATA" member)
tar_bytes=$(stat -c %s "$WORK/out.tar.gz")
raftpipe_s=$(best java -Xmx256m -jar "$JAR" backup --quiet --data-dir "$DATA" --archive "$WORK/out.walsnap" --keep-ids)
archive_bytes=$(stat -c %s "$WORK/out.walsnap")
# disk used beside the archive while it is written: the files in its scratch directories, sampled every 20 ms
rm -rf "$WORK"/out*
java -Xmx256m -jar "$JAR" backup --quiet --data-dir "$DATA" --archive "$WORK/out.walsnap" --keep-ids > /dev/null &
pid=$!
peak=0
while kill -0 "$pid" 2> /dev/null; do
  used=$(find "$WORK" -mindepth 2 -type f -printf '%s\n' 2> /dev/null | awk '{s += $1} END {print s + 0}')
  if [ "$used" -gt "$peak" ]; then peak=$used; fi
  sleep 0.02
done
wait "$pid"
t0=$(now); sha256sum "$WORK/out.walsnap" > /dev/null; sha_s=$(calc "$(now) - $t0")
verify_s=""
for _ in $(seq "$RUNS"); do
  t0=$(now); java -Xmx256m -jar "$JAR" verify --quiet "$WORK/out.walsnap" > /dev/null; s=$(calc "$(now) - $t0")
  if [ -z "$verify_s" ] || less "$s" "$verify_s"; then verify_s=$s; fi
done
wal_bytes=$(cat "$DATA"/member/wal/* | wc -c)
echo "WAL: $DATA ($ENTRIES entries, $wal_bytes bytes of segments); $(nproc) cores; best of $RUNS"
printf '%-52s %7s  %12s  %s\n' "command" "seconds" "output bytes" "ratio"
printf '%-52s %7.2f  %12s  %s\n' "tar czf of the data dir" "$tar_s" "$tar_bytes" "1.00"
printf '%-52s %7.2f  %12s  %.2f\n' "raftpipe backup --archive (whole process)" "$raftpipe_s" "$archive_bytes" \
  "$(calc "$raftpipe_s / $tar_s")"
printf '%-52s %7.2f  %12s  %s\n' "sha256sum of the archive" "$sha_s" "-" "1.00"
printf '%-52s %7.2f  %12s  %.2f\n' "raftpipe verify of the archive (whole process)" "$verify_s" "-" \
  "$(calc "$verify_s / $sha_s")"
echo "peak scratch beside the archive while it was written: $peak bytes (segments are 64 MB)"
