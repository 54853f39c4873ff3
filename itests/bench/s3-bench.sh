#!/usr/bin/env bash
# Benchmark: `raftpipe seal --out s3://…` (the archive streamed into a multipart upload, self-tested as it goes)
# against what a user would otherwise run, `raftpipe seal` to a local file followed by `aws s3 cp` of it, side by
# side in one run against the same S3 server (s3proxy over a filesystem blob store on 127.0.0.1, as in the tests),
# best of RUNS (default 3), raftpipe under -Xmx256m (its peak RSS is printed: memory does not follow the size).
#
#   itests/bench/s3-bench.sh                      # the ~200 MB backend (150 000 keys of 1 KiB), made once
#   KEYS=800000 CODEC=null itests/bench/s3-bench.sh   # a 1.1 GB backend sealed uncompressed: a ~1 GB archive
#
# Needs the AWS CLI (`aws`) on the PATH; s3proxy comes from the itests' test classpath.
set -euo pipefail
cd "$(dirname "$0")/../.."
source itests/bench/lib.sh
RUNS=${RUNS:-3}
KEYS=${KEYS:-150000}
CODEC=${CODEC:-zstandard}
command -v aws > /dev/null || { echo "s3-bench.sh needs the AWS CLI (aws) on the PATH" >&2; exit 1; }
ensure_built
backend=$(bulk_backend "$KEYS")
WORK=$(mktemp -d target/bench/s3-XXXXXX)
WORK=$(realpath "$WORK")
S3_PID=""
trap '[ -n "$S3_PID" ] && kill "$S3_PID" 2>/dev/null; rm -rf "$WORK"' EXIT

classpath=$(mvn -B -q -o -pl itests dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$WORK/s3"
cat > "$WORK/s3proxy.conf" <<CONF
s3proxy.endpoint=http://127.0.0.1:$port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=bench
s3proxy.credential=bench-secret
jclouds.provider=filesystem-nio2
jclouds.filesystem.basedir=$WORK/s3
CONF
java -cp "$classpath" org.gaul.s3proxy.Main --properties "$WORK/s3proxy.conf" > "$WORK/s3proxy.log" 2>&1 &
S3_PID=$!
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench-secret AWS_REGION=us-east-1 \
  AWS_ENDPOINT_URL=http://127.0.0.1:$port AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
for _ in $(seq 100); do
  aws --endpoint-url "$AWS_ENDPOINT_URL" s3 mb s3://bench > /dev/null 2>&1 && break
  sleep 0.2
done
cat "$backend" > /dev/null

RP=(java -Xmx256m ${JAVA_OPTS:-} -Draftpipe.archive.codec="$CODEC" -Draftpipe.s3.staging-dir="$WORK" -jar "$JAR")
n=0
best() { # best wall-clock seconds of RUNS runs of "$@" (each may use $n for a fresh key)
  local b="" t0 s
  for _ in $(seq "$RUNS"); do
    n=$((n + 1)); rm -f "$WORK"/local.snap*
    t0=$(now); "$@" > /dev/null 2>&1 || { echo "failed: $*" >&2; "$@" >&2 || true; exit 3; }
    s=$(calc "$(now) - $t0")
    if [ -z "$b" ] || less "$s" "$b"; then b=$s; fi
  done
  echo "$b"
}
streamed() { "${RP[@]}" seal --backend "$backend" --out "s3://bench/streamed-$n.snap" --quiet; }
local_then_cp() {
  "${RP[@]}" seal --backend "$backend" --out "$WORK/local.snap" --quiet &&
    aws --endpoint-url "$AWS_ENDPOINT_URL" s3 cp "$WORK/local.snap" "s3://bench/copied-$n.snap" --only-show-errors
}
anchor=$(best local_then_cp)
ours=$(best streamed)
n=$((n + 1))
rss=$(/usr/bin/time -f %M "${RP[@]}" seal --backend "$backend" --out "s3://bench/rss-$n.snap" --quiet 2>&1 \
  > /dev/null | tail -n 1)
archive=$(aws --endpoint-url "$AWS_ENDPOINT_URL" s3api head-object --bucket bench --key "rss-$n.snap" \
  --query ContentLength --output text)
echo "backend $(stat -c %s "$backend" | awk '{ printf "%d MB", $1 / 1000000 }'), archive $((archive / 1000000)) MB" \
  "(codec $CODEC); $(nproc) cores; best of $RUNS; s3proxy on 127.0.0.1; raftpipe under -Xmx256m"
printf '| %s | %s | %s | %s | %s |\n' "job" "anchor, same bytes" "raftpipe" "ratio" "aim"
printf '| seal --out s3:// (self-test on) | seal to a file + aws s3 cp %.2f s | %.2f s | %.2f | ≤ 1.0 |\n' \
  "$anchor" "$ours" "$(calc "$ours / $anchor")"
echo "peak RSS of seal --out s3://: $((rss / 1024)) MB"
