#!/usr/bin/env bash
# Puts etcd 3.5 (Debian trixie's etcd-server and etcd-client: etcd, etcdctl, etcdutl) under <dest>/usr/bin,
# next to the system's etcd 3.4, without installing anything: trixie is a second apt source only for this
# download, in a private list directory, and the debs are unpacked with dpkg -x. Does nothing when <dest>
# already holds them. Needs root for apt (CI and the development machines run as root).
set -euo pipefail
dest=${1:?usage: fetch-etcd-3.5.sh <dest>}
is_35() { # no pipe into grep -q: an early exit would SIGPIPE etcd and fail the pipeline under pipefail
  local v
  v=$("$1" --version 2>/dev/null || true)
  case "$v" in *"etcd Version: 3.5."*) return 0 ;; *) return 1 ;; esac
}
if [ -x "$dest/usr/bin/etcd" ] && is_35 "$dest/usr/bin/etcd"; then
  exit 0
fi
for tool in apt-get dpkg; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "fetch-etcd-3.5: $tool not found: the etcd 3.5 itests need Debian's apt to download etcd 3.5 into $dest;" \
         "on another system unpack etcd 3.5's etcd, etcdctl and etcdutl into $dest/usr/bin, or skip the itests" \
         "with -DskipITs" >&2
    exit 1
  fi
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# the same mirror the machine's own Debian source uses, suite trixie
uri=$(grep -hoE '^(URIs:|deb) *(\[[^]]*\] *)?https?://[^ ]+' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null \
      | grep -oE 'https?://[^ ]+' | grep -v security | head -n 1 || true)
uri=${uri:-http://deb.debian.org/debian}
mkdir -p "$work/lists/partial" "$work/debs"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri trixie main" > "$work/trixie.list"
apt_opts=(-q -o Dir::Etc::SourceList="$work/trixie.list" -o Dir::Etc::SourceParts=/dev/null
          -o Dir::State::Lists="$work/lists" -o APT::Get::List-Cleanup=false)
echo "fetching etcd 3.5 from Debian trixie ($uri) into $dest" >&2
apt-get "${apt_opts[@]}" update >"$work/update.log" 2>&1 || { cat "$work/update.log" >&2; exit 1; }
(cd "$work/debs" && apt-get "${apt_opts[@]}" download etcd-server etcd-client >"$work/download.log" 2>&1) \
  || { cat "$work/download.log" >&2; exit 1; }
rm -rf "$dest.tmp" && mkdir -p "$dest.tmp"
for deb in "$work"/debs/*.deb; do dpkg -x "$deb" "$dest.tmp"; done
is_35 "$dest.tmp/usr/bin/etcd" || { echo "trixie's etcd is not 3.5" >&2; exit 1; }
rm -rf "$dest" && mv "$dest.tmp" "$dest"
echo "etcd 3.5 is in $dest/usr/bin" >&2
