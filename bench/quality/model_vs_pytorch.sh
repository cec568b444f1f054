#!/usr/bin/env bash
# Training quality of one of our models against its PyTorch twin (bench/torch/train_model.py): the
# same split (exported once by `l2aug data export`), the same shape and recipe, several seeds each;
# prints one JSON line per run.
# Usage: bench/quality/model_vs_pytorch.sh <sasrec|gru4rec|nextitnet> <data> <out dir> [seeds...]
# Environment (defaults in brackets):
#   DIM [50] MAXLEN [50] DROPOUT [0.2] BATCH [128] EPOCHS [200] EVAL_EVERY [5] PATIENCE [5] THREADS [1]
#   DATA_OPTS   extra data options of both `l2aug data export` and `l2aug train` (e.g. "--split loo")
#   SETTINGS    extra `--set key=value` options of ours (e.g. "--set model.dropout_at=input")
#   TWIN_OPTS   extra options of the twin (e.g. "--dropout-at input --init glorot")
#   RUN         "both" [default], "ours" or "twin"
#   TAG         suffix of the run folders, to keep variants apart
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
model=$1
data=$2
out=$3
shift 3
seeds=("${@:-1 2 3}")
l2aug="$here/build/bin/l2aug"
threads=${THREADS:-1}
run=${RUN:-both}
tag=${TAG:-}
mkdir -p "$out"
[ -f "$out/split/split.json" ] || "$l2aug" data export "$data" ${DATA_OPTS:-} --out "$out/split" > /dev/null
shape=(--set model.dim=${DIM:-50} --set model.maxlen=${MAXLEN:-50} --set model.dropout=${DROPOUT:-0.2}
       --set train.batch_size=${BATCH:-128} --set train.epochs=${EPOCHS:-200} --set train.eval_every=${EVAL_EVERY:-5}
       --set train.patience=${PATIENCE:-5})
for seed in ${seeds[@]}; do
  if [ "$run" != twin ]; then
    dir="$out/ours-$model$tag-seed$seed"
    "$l2aug" --threads "$threads" train --model "$model" --data "$data" ${DATA_OPTS:-} --out "$dir" --overwrite \
      --seed "$seed" "${shape[@]}" ${SETTINGS:-} > /dev/null 2> "$dir.log"
    python3 -c "
import json
m=json.load(open('$dir/metrics.json'))
print(json.dumps({'implementation':'l2aug','model':'$model','tag':'$tag','seed':$seed,'test':m['test']['metrics']['all'],'best_epoch':m['best_epoch']}))"
  fi
  if [ "$run" != ours ]; then
    "$here/bench/torch/run.sh" "$here/bench/torch/train_model.py" --model "$model" --split "$out/split" --seed "$seed" \
      --threads "$threads" --dim ${DIM:-50} --maxlen ${MAXLEN:-50} --dropout ${DROPOUT:-0.2} --batch ${BATCH:-128} \
      --epochs ${EPOCHS:-200} --eval-every ${EVAL_EVERY:-5} --patience ${PATIENCE:-5} ${TWIN_OPTS:-} --log \
      2> "$out/twin-$model$tag-seed$seed.log" | sed "s/^{/{\"tag\": \"$tag\", /"
  fi
done
