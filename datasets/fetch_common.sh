#!/usr/bin/env bash
# Shared by the fetch_*.sh scripts (sourced, not run): downloading with curl or wget, sha256
# checks against datasets/checksums.sha256, and the rule that nothing is written into ../shared.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
shared="$(cd "$here/../.." && pwd)/shared"

# The destination folder, created, as an absolute path; refuses the read-only shared data.
prepare_dest() {
  local dest
  dest="$(realpath -m "$1")"  # absolute, symlinks resolved, before anything is created
  if [ -d "$shared" ]; then
    local shared_real
    shared_real="$(realpath "$shared")"
    case "$dest/" in
      "$shared_real"/*) echo "refusing to write into $shared_real (shared data is read-only); pick another folder" >&2; exit 2 ;;
    esac
  fi
  mkdir -p "$dest"
  echo "$dest"
}

# download URL FILE: skips a file already there (delete it to fetch again).
download() {
  local url=$1 out=$2
  if [ -s "$out" ]; then
    echo "have $out"
    return 0
  fi
  echo "fetching $url"
  if command -v curl >/dev/null; then
    curl -fL --retry 3 -o "$out.part" "$url"
  elif command -v wget >/dev/null; then
    wget -O "$out.part" "$url"
  else
    echo "need curl or wget" >&2
    exit 1
  fi
  mv "$out.part" "$out"
}

# verify FILE: checks the sha256 listed for the file's name in checksums.sha256, if any.
verify() {
  local file=$1 name expected actual
  name=$(basename "$file")
  actual=$(sha256sum "$file" | cut -d' ' -f1)
  expected=$(awk -v n="$name" '$2 == n { print $1 }' "$here/checksums.sha256")
  if [ -z "$expected" ]; then
    echo "sha256 $actual  $name (no published sum known: record this one)"
  elif [ "$expected" = "$actual" ]; then
    echo "sha256 ok  $name"
  else
    echo "sha256 MISMATCH for $name: expected $expected, got $actual" >&2
    exit 1
  fi
}
