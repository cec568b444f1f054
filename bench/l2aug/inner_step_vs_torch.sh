#!/usr/bin/env bash
# The L2Aug inner step per estimator, ours against the PyTorch twin, in alternating rounds, on
# random full-length sequences and on the real sequences of a split (bench/RESULTS.md, "L2Aug
# inner step per estimator"). One thread each; prints one line per run: round, data, estimator,
# implementation, median seconds.
# usage: bench/l2aug/inner_step_vs_torch.sh BUILD_DIR DATASET SPLIT_DIR [ROUNDS] [ESTIMATORS...]
#   DATASET   e.g. ../shared/datasets/amazon-Beauty; exported to SPLIT_DIR by `l2aug data export`
#             under the default protocol (skipped when SPLIT_DIR/meta.txt exists)
set -euo pipefail
[ $# -ge 3 ] || { sed -n 2,9p "$0" >&2; exit 2; }
build=$1 data=$2 split=$3 rounds=${4:-2}
shift $(( $# < 4 ? $# : 4 ))
estimators=("$@")
[ ${#estimators[@]} -gt 0 ] || estimators=(paper loglik paired samples4)
here="$(cd "$(dirname "$0")/.." && pwd)"
export OMP_WAIT_POLICY=passive
[ -f "$split/meta.txt" ] || "$build/bin/l2aug" data export --data "$data" --out "$split" >&2
median() { sed -n 's/.*median \([0-9.]*\) s.*/\1/p'; }
for round in $(seq 1 "$rounds"); do
  for mode in full real; do
    opts=()
    [ "$mode" = real ] && opts=(--split "$split")
    for e in "${estimators[@]}"; do
      ours=$("$build/bin/bench_inner_step" --threads 1 --reps 3 --estimator "$e" "${opts[@]}" | median)
      torch=$("$here/torch/run.sh" "$here/torch/bench_inner_step.py" --threads 1 --reps 3 --estimator "$e" "${opts[@]}" | median)
      echo "round $round $mode $e ours $ours torch $torch"
    done
  done
done
