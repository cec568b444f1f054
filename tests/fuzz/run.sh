#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz in build-fuzz (clang 14, ASan + UBSan) and runs each
# for a fixed number of inputs from its seeds, deterministically (-seed=1, a fresh corpus each
# time). Exits non-zero on any finding: a crash, a sanitizer report, an exception other than
# l2::Error, a hang (-timeout) or a huge allocation (-malloc_limit_mb).
#   tests/fuzz/run.sh                 CI: every target, 2000 inputs each, regressions replayed
#   tests/fuzz/run.sh --runs N T...   N inputs for the named targets only (fuzz_movielens ...)
#   tests/fuzz/run.sh --prepare       only build and write the seeds (bench/fuzz/run_fuzz.sh uses it)
# Seeds come from the test fixtures and configs/ (and make_seeds for the binary formats); every
# input that once found a bug is in tests/fuzz/regressions/<target>/ and is run first.
set -euo pipefail
# The targets write every input to a file under $TMPDIR: on a RAM file system that costs a third of
# what it costs on disk (measured: 1,052 -> 3,333 inputs/s for fuzz_movielens from one corpus).
[ -d /dev/shm ] && [ -w /dev/shm ] && export TMPDIR=/dev/shm

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="$root/build-fuzz"
out="$build/fuzz"
runs=2000
prepare_only=0
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --prepare) prepare_only=1; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    fuzz_*) targets+=("$1"); shift ;;
    *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
all_targets=(fuzz_movielens fuzz_movielens_dat fuzz_paired fuzz_amazon_json fuzz_amazon_csv fuzz_goodreads
             fuzz_recbole fuzz_delimited fuzz_gzip fuzz_experiment fuzz_settings fuzz_checkpoint fuzz_model_file
             fuzz_cache)
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")

"$root/scripts/setup.sh" --fuzz
# The same configuration as scripts/test.sh's sanitizer build, which also builds the test suites
# in this folder; only the fuzz targets are built here.
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=clang++-14 -DL2_FUZZ=ON \
  -DL2_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" --parallel "$(nproc)" --target l2_fuzzers

# --- seeds -----------------------------------------------------------------------------------------
fixtures="$root/tests/recsys/fixtures"
seeds="$out/seeds"
rm -rf "$seeds"
seed() {  # seed TARGET FILE...: copies the files into TARGET's seed folder
  local t="$1"; shift
  mkdir -p "$seeds/$t"
  cp "$@" "$seeds/$t/"
}
seed fuzz_movielens "$fixtures/toy_named/movielens.tsv"
seed fuzz_movielens_dat "$fixtures/toy_named/movielens_dat.txt"
mkdir -p "$seeds/fuzz_paired"
{ cat "$fixtures/toy_named/paired_items.txt"; printf '\n----\n'; cat "$fixtures/toy_named/paired_times.txt"; } \
  >"$seeds/fuzz_paired/toy"
seed fuzz_amazon_json "$fixtures/amazon2014/reviews_Toy_5.json" "$fixtures/amazon2018/Toy_5.json"
seed fuzz_amazon_csv "$fixtures/amazon_csv/ratings_Toy.csv" "$fixtures/amazon_csv_2018/Toy.csv"
seed fuzz_goodreads "$fixtures/goodreads/goodreads_interactions_toy.json"
seed fuzz_recbole "$fixtures/recbole/toy.inter"
seed fuzz_delimited "$fixtures/delimited/toy.csv"
mkdir -p "$seeds/fuzz_gzip"
{ printf '\001'; cat "$fixtures/toy_named/movielens.tsv"; } >"$seeds/fuzz_gzip/plain"
{ printf '\000'; gzip -9nc "$fixtures/toy_named/movielens.tsv"; } >"$seeds/fuzz_gzip/gzipped"
seed fuzz_experiment "$root/tests/l2aug/fixtures/tiny_experiment.json" "$root"/configs/*.json
seed fuzz_settings "$root/tests/fuzz/seeds/settings.json"
"$build/bin/fuzz_make_seeds" "$seeds" "$fixtures/toy_named/movielens.tsv"
[ "$prepare_only" -eq 1 ] && exit 0

# --- runs ------------------------------------------------------------------------------------------
# Input sets that a target reads: its seeds, then its regressions (so a fixed bug stays fixed).
inputs_of() {
  echo "$seeds/$1"
  [ -d "$root/tests/fuzz/regressions/$1" ] && echo "$root/tests/fuzz/regressions/$1"
  return 0
}
mkdir -p "$out/ci"
failed=()
for t in "${targets[@]}"; do
  corpus="$out/ci/$t.corpus"
  rm -rf "$corpus" "$out/ci/$t".{crash,oom,timeout,leak,slow-unit}-* && mkdir -p "$corpus"
  mapfile -t dirs < <(inputs_of "$t")
  if "$build/bin/$t" -runs="$runs" -seed=1 -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024 \
       -max_len=16384 -print_final_stats=1 -artifact_prefix="$out/ci/$t." "$corpus" "${dirs[@]}" \
       >"$out/ci/$t.log" 2>&1; then
    echo "$t: ok ($(grep -m1 -o 'DONE.*' "$out/ci/$t.log" | tr -s ' \t' ' '))"
  else
    echo "$t: FINDING (log: $out/ci/$t.log)"
    grep -m5 -E 'ERROR|runtime error|terminate|SUMMARY' "$out/ci/$t.log" || tail -20 "$out/ci/$t.log"
    failed+=("$t")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: findings in ${failed[*]}; the inputs are $out/ci/<target>.{crash,oom,timeout,leak}-*" >&2
  exit 1
fi
echo "fuzz: ${#targets[@]} targets, $runs inputs each, no finding"
