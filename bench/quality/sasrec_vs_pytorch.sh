#!/usr/bin/env bash
# Training quality of our SASRec against its PyTorch twin: the same split (exported by
# `l2aug data export`), the same architecture and recipe, several seeds each; prints one JSON line
# per run. Usage: bench/quality/sasrec_vs_pytorch.sh <data> <out dir> [seeds...]
# (e.g. ../shared/datasets/ml-100k runs/quality-ml 1 2 3; extra data options in $DATA_OPTS)
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
data=$1
out=$2
shift 2
seeds=("${@:-1 2 3}")
l2aug="$here/build/bin/l2aug"
mkdir -p "$out"
"$l2aug" data export "$data" ${DATA_OPTS:-} --out "$out/split" > /dev/null
settings=(--set model.dim=50 --set model.maxlen=50 --set model.dropout=0.2 --set train.batch_size=128
          --set train.epochs=200 --set train.eval_every=5 --set train.patience=5)
for seed in ${seeds[@]}; do
  "$l2aug" --threads "${THREADS:-2}" train --model sasrec --data "$data" ${DATA_OPTS:-} --out "$out/ours-seed$seed" --overwrite --seed "$seed" \
    "${settings[@]}" > /dev/null 2> "$out/ours-seed$seed.log"
  python3 -c "
import json,sys
m=json.load(open('$out/ours-seed$seed/metrics.json'))
print(json.dumps({'implementation':'l2aug','seed':$seed,'test':m['test']['metrics']['all'],'best_epoch':m['best_epoch']}))"
  "$here/bench/torch/run.sh" "$here/bench/torch/train_sasrec.py" --split "$out/split" --seed "$seed" --threads "${THREADS:-2}" \
    --dim 50 --maxlen 50 --dropout 0.2 --batch 128 --epochs 200 --eval-every 5 --patience 5
done
