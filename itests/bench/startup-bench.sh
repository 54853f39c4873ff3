#!/usr/bin/env bash
# Benchmark: start-up, whole process, of `version`, `--help`, `wal inspect` and `db inspect` of the bundled sample,
# through `java -jar` and through `pipeline/raftpipe` (the class-data-sharing archive the build recorded), side by
# side in one run, best of RUNS (default 5).
#
#   itests/bench/startup-bench.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-5}
source itests/bench/lib.sh
ensure_built
WORK=target/bench/startup
rm -rf "$WORK" && mkdir -p "$WORK"
tar -xzf examples/etcd-3.4/single.tar.gz -C "$WORK"
data="$WORK/single/n1.etcd"

best() { # best wall-clock seconds of RUNS runs of "$@"
  local b="" t0 s
  for _ in $(seq "$RUNS"); do
    t0=$(now); "$@" > /dev/null 2>&1; s=$(calc "$(now) - $t0")
    if [ -z "$b" ] || less "$s" "$b"; then b=$s; fi
  done
  echo "$b"
}
echo "$(nproc) cores; best of $RUNS; $(java -version 2>&1 | head -1)"
printf '%-40s %10s %20s  %s\n' "command" "java -jar" "pipeline/raftpipe" "ratio"
for cmd in "version" "--help" "wal inspect $data/member/wal" "db inspect $data/member/snap/db"; do
  # shellcheck disable=SC2086
  plain=$(best java -jar "$JAR" $cmd)
  # shellcheck disable=SC2086
  cds=$(best pipeline/raftpipe $cmd)
  printf '%-40s %10.2f %20.2f  %.2f\n' "${cmd%% $WORK*}" "$plain" "$cds" "$(calc "$cds / $plain")"
done
