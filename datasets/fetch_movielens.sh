#!/usr/bin/env bash
# Downloads a MovieLens dataset from GroupLens: fetch_movielens.sh [100k|1m|10m] [DIR]
# (default 100k into ./data/movielens). Checks the zip against GroupLens' .md5 file and, for
# 100K, u.data against the sha256 in checksums.sha256. Terms: https://grouplens.org/datasets/movielens/
# (research use, no redistribution, cite Harper & Konstan 2015).
source "$(dirname "$0")/fetch_common.sh"

size=${1:-100k}
case "$size" in
  100k) zip=ml-100k.zip; folder=ml-100k; file=u.data ;;
  1m) zip=ml-1m.zip; folder=ml-1m; file=ratings.dat ;;
  10m) zip=ml-10m.zip; folder=ml-10M100K; file=ratings.dat ;;
  *) echo "usage: fetch_movielens.sh [100k|1m|10m] [DIR]" >&2; exit 2 ;;
esac
dest=$(prepare_dest "${2:-data/movielens}")
base=https://files.grouplens.org/datasets/movielens
download "$base/$zip" "$dest/$zip"
download "$base/$zip.md5" "$dest/$zip.md5"
expected=$(grep -oE '[0-9a-f]{32}' "$dest/$zip.md5" | head -1)
actual=$(md5sum "$dest/$zip" | cut -d' ' -f1)
[ "$expected" = "$actual" ] || { echo "md5 MISMATCH for $zip: expected $expected, got $actual" >&2; exit 1; }
echo "md5 ok  $zip"
(cd "$dest" && unzip -oq "$zip")
verify "$dest/$folder/$file"
echo "ready: l2aug data stats $dest/$folder"
