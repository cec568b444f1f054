#!/usr/bin/env bash
# Downloads Goodreads interactions from the UCSD Book Graph (Wan & McAuley):
#   fetch_goodreads.sh [<genre>|all] [DIR]      (default: poetry into ./data/goodreads)
# Genres: children, comics_graphic, fantasy_paranormal, history_biography, mystery_thriller_crime,
# poetry, romance, young_adult. "all" is goodreads_interactions_dedup.json.gz, the paper's data
# (228M interactions, about 11 GB compressed). Terms: https://sites.google.com/eng.ucsd.edu/ucsdbookgraph/home
# (academic use; cite the papers named there).
source "$(dirname "$0")/fetch_common.sh"

genre=${1:-poetry}
base=https://datarepo.eng.ucsd.edu/mcauley_group/gdrive/goodreads
case "$genre" in
  all) url=$base/goodreads_interactions_dedup.json.gz ;;
  children | comics_graphic | fantasy_paranormal | history_biography | mystery_thriller_crime | poetry | romance | young_adult)
    url=$base/byGenre/goodreads_interactions_${genre}.json.gz ;;
  *) echo "usage: fetch_goodreads.sh [children|comics_graphic|fantasy_paranormal|history_biography|mystery_thriller_crime|poetry|romance|young_adult|all] [DIR]" >&2; exit 2 ;;
esac
dest=$(prepare_dest "${2:-data/goodreads}")
out="$dest/$(basename "$url")"
download "$url" "$out"
verify "$out"
echo "ready: l2aug data stats $out   (the date field: --time-field date_added|date_updated|read_at|started_at)"
