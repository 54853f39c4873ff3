#!/usr/bin/env bash
# Records the class-data-sharing archive the launcher (pipeline/raftpipe) uses, at build time: one JVM runs the
# common commands over the bundled sample (CdsTraining) and dumps what they loaded as it exits, so the first run
# of any command starts fast. Named for the java on the PATH as the launcher names it; a failed training is
# reported and leaves no archive (the launcher then records one on its first run). Then it extracts SQLite's and
# zstd's native libraries for this machine beside the JAR (NativeLibraries), so they are not copied out at each start.
#
#   pipeline/cds-train.sh <raftpipe.jar> <sample .tar.gz>
set -euo pipefail
jar="$(readlink -f "$1")"
sample="$2"
java="${RAFTPIPE_JAVA:-java}"
jvm="$(readlink -f "$(command -v "$java")" | cksum | cut -d' ' -f1)"
jsa="${jar%.jar}-$jvm.jsa"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tar -xzf "$sample" -C "$work"
natives="${jar%.jar}-native"
rm -rf "$natives"
"$java" -cp "$jar" dev.raftpipe.pipeline.cli.NativeLibraries "$natives" \
  || echo "cds-train: no native libraries extracted; each library extracts its own at every start" >&2
tmp="$jsa.tmp-$$"
rm -f "$jsa"
if "$java" -XX:ArchiveClassesAtExit="$tmp" -Xlog:cds=off -Xlog:cds+dynamic=off -cp "$jar" \
    dev.raftpipe.pipeline.cli.CdsTraining "$work/single/n1.etcd" "$work/out" && [ -s "$tmp" ]; then
  mv -f "$tmp" "$jsa"
  echo "cds-train: $jsa ($(stat -c %s "$jsa") bytes)"
else
  rm -f "$tmp"
  echo "cds-train: no class-data-sharing archive recorded; pipeline/raftpipe records one on its first run" >&2
  exit 1
fi
