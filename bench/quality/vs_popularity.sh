#!/usr/bin/env bash
# The quality bar of the models: every model against the popularity baseline on real data, with full-ranking
# test metrics for all, casual and core users (the casual/core rows are the paper's Figure 1(b)).
# Usage: bench/quality/vs_popularity.sh <data> <out dir> [model...]   (default: all three models)
# Extra data options (e.g. --split loo) in $DATA_OPTS, training settings (--set k=v ...) in $SETTINGS,
# the thread count in $THREADS (default 2). Prints one JSON line per run; the table is made by
# bench/quality/table.py.
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
data=$1
out=$2
shift 2
models=("${@:-gru4rec nextitnet sasrec}")
l2aug="$here/build/bin/l2aug"
mkdir -p "$out"
line() {  # name, metrics.json/eval.json path, start time (seconds since the epoch)
  python3 - "$1" "$2" "$3" <<'EOF'
import json, sys
import time
name, path, seconds = sys.argv[1], sys.argv[2], time.time() - float(sys.argv[3])
m = json.load(open(path))
test = m["test"]["metrics"] if "metrics" in m["test"] else m["test"]
print(json.dumps({"run": name, "seconds": round(seconds, 1), "best_epoch": m.get("best_epoch"),
                  "test": {g: {k: v for k, v in test[g].items() if k in ("users", "hr@10", "ndcg@10", "hr@5", "ndcg@5")}
                           for g in ("all", "casual", "core") if g in test}}))
EOF
}
start=$EPOCHREALTIME
"$l2aug" --threads "${THREADS:-2}" eval --baseline popularity --data "$data" ${DATA_OPTS:-} --out "$out/popularity.json" > /dev/null
line popularity "$out/popularity.json" "$start"
for model in ${models[@]}; do
  start=$EPOCHREALTIME
  "$l2aug" --threads "${THREADS:-2}" train --model "$model" --data "$data" ${DATA_OPTS:-} ${SETTINGS:-} \
    --out "$out/$model" --overwrite > /dev/null 2> "$out/$model.log"
  line "$model" "$out/$model/metrics.json" "$start"
done
