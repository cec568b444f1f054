#!/usr/bin/env bash
# Downloads one category of the Amazon review data (McAuley et al.):
#   fetch_amazon.sh <Category> [--release 2014|2018] [--kind 5core|reviews|ratings] [DIR]
# Category as the files spell it, e.g. CDs_and_Vinyl, Books, Movies_and_TV (the paper's), Beauty.
# Default: the 2014 5-core reviews into ./data/amazon. 2014: https://jmcauley.ucsd.edu/data/amazon/
# 2018: https://nijianmo.github.io/amazon/ (research use; cite the papers those pages name).
source "$(dirname "$0")/fetch_common.sh"

[ $# -ge 1 ] || { echo "usage: fetch_amazon.sh <Category> [--release 2014|2018] [--kind 5core|reviews|ratings] [DIR]" >&2; exit 2; }
category=$1
shift
release=2014
kind=5core
dir=data/amazon
while [ $# -gt 0 ]; do
  case "$1" in
    --release) release=$2; shift 2 ;;
    --kind) kind=$2; shift 2 ;;
    -*) echo "fetch_amazon.sh: unknown option $1" >&2; exit 2 ;;
    *) dir=$1; shift ;;
  esac
done
case "$release/$kind" in
  2014/5core) url=http://snap.stanford.edu/data/amazon/productGraph/categoryFiles/reviews_${category}_5.json.gz ;;
  2014/reviews) url=http://snap.stanford.edu/data/amazon/productGraph/categoryFiles/reviews_${category}.json.gz ;;
  2014/ratings) url=http://snap.stanford.edu/data/amazon/productGraph/categoryFiles/ratings_${category}.csv ;;
  2018/5core) url=https://datarepo.eng.ucsd.edu/mcauley_group/data/amazon_v2/categoryFilesSmall/${category}_5.json.gz ;;
  2018/reviews) url=https://datarepo.eng.ucsd.edu/mcauley_group/data/amazon_v2/categoryFiles/${category}.json.gz ;;
  2018/ratings) url=https://datarepo.eng.ucsd.edu/mcauley_group/data/amazon_v2/categoryFilesSmall/${category}.csv ;;
  *) echo "fetch_amazon.sh: --release 2014|2018 and --kind 5core|reviews|ratings" >&2; exit 2 ;;
esac
dest=$(prepare_dest "$dir/$release")
out="$dest/$(basename "$url")"
download "$url" "$out"
verify "$out"
if [ "$release/$kind" = 2018/ratings ]; then
  echo "ready: l2aug data stats $out --format amazon-csv-2018"
else
  echo "ready: l2aug data stats $out"
fi
