#!/usr/bin/env bash
# The `l2aug train`, `eval` and `recommend` command lines: a short real run on the synthetic
# platform, resuming, stopping on SIGINT, and every kind of bad input (unknown option, missing
# data, a checkpoint used with other data, a corrupt checkpoint, an unknown id): exit codes
# (0 ok, 1 bad data or file, 2 bad usage, 130 stopped) and messages naming what is wrong.
# Usage: cli_train_test.sh <l2aug binary>
set -u
l2aug=$1
source "$(dirname "$0")/../common/cli_expect.sh"
data="synthetic:users=400,items=150,topics=6"
quick=(--set model.dim=16 --set model.maxlen=30 --set train.batch_size=64 --set train.epochs=4 --set train.eval_every=2)
out="$scratch/run"

# Usage errors name the option; missing data names the path.
expect 2 "unknown option --epochs" -- "$l2aug" train --data "$data" --out "$out" --epochs 3
expect 2 "--model: unknown model 'bert'" -- "$l2aug" train --model bert --data "$data" --out "$out"
expect 2 "--set: unknown setting 'dimension'" -- "$l2aug" train --data "$data" --out "$out" --set dimension=3
expect 2 "ambiguous" -- "$l2aug" train --data "$data" --out "$out" --set seed=3
expect 2 "option --out is required" -- "$l2aug" train --data "$data"
expect 1 "/no/such/data" -- "$l2aug" train --data /no/such/data --out "$out"
expect 0 "usage: l2aug train" -- "$l2aug" train --help
# The help lists the settings --set takes, from their tables (tests/recsys/test_settings.cpp).
expect 0 "training settings (--set train.KEY=VALUE)" -- "$l2aug" train --help
expect 0 "  eval_block" -- "$l2aug" train --help

# A real run writes the model, the resumable state, the log, the configuration and the metrics.
expect 0 "test (full)" -- "$l2aug" train --model sasrec --data "$data" --out "$out" "${quick[@]}"
for f in best.ckpt last.ckpt train_log.csv config.json metrics.json; do check "train wrote $f" test -s "$out/$f"; done
check "metrics.json has a schema and the build facts" grep -q '"schema": "l2aug.result/1"' "$out/metrics.json"
check "metrics.json has casual and core test metrics" grep -q '"casual"' "$out/metrics.json"
expect 2 "holds a training checkpoint" -- "$l2aug" train --model sasrec --data "$data" --out "$out" "${quick[@]}"
expect 2 "--resume: no checkpoint" -- "$l2aug" train --data "$data" --out "$scratch/empty" --resume
expect 0 "epoch limit" -- "$l2aug" train --model sasrec --data "$data" --out "$out" "${quick[@]}" --resume
expect 1 "other training settings" -- "$l2aug" train --model sasrec --data "$data" --out "$out" "${quick[@]}" --set train.lr=0.5 --resume

# eval: the model, the baseline, and the checks on the files.
expect 0 "sasrec, test (full)" -- "$l2aug" eval --checkpoint "$out/best.ckpt" --data "$data"
check "eval wrote eval.json beside the checkpoint" test -s "$out/eval.json"
expect 0 "popularity, validation" -- "$l2aug" eval --baseline popularity --data "$data" --out "$scratch/pop.json"
expect 0 "sampled-100" -- "$l2aug" eval --checkpoint "$out/best.ckpt" --data "$data" --sampled --out "$scratch/s.json"
expect 1 "was trained on other data" -- "$l2aug" eval --checkpoint "$out/best.ckpt" --data "synthetic:users=400,items=150,topics=6,seed=2"
expect 2 "give either --checkpoint" -- "$l2aug" eval --data "$data"
expect 1 "cannot open checkpoint" -- "$l2aug" eval --checkpoint "$scratch/none.ckpt" --data "$data"
head -c 1000 "$out/best.ckpt" > "$scratch/cut.ckpt"
expect 1 "truncated" -- "$l2aug" eval --checkpoint "$scratch/cut.ckpt" --data "$data"
echo "not a checkpoint" > "$scratch/text.ckpt"
expect 1 "not an l2aug checkpoint" -- "$l2aug" eval --checkpoint "$scratch/text.ckpt" --data "$data"

# recommend: by user, by history, and unknown ids.
expect 0 "rank	item	score" -- "$l2aug" recommend --checkpoint "$out/best.ckpt" --user 7 -k 5
check "recommend prints k rows" test "$("$l2aug" recommend --checkpoint "$out/best.ckpt" --user 7 -k 5 | wc -l)" -eq 6
expect 0 "rank	item	score" -- "$l2aug" recommend --checkpoint "$out/best.ckpt" --history 3,4,5 --exclude-history
expect 1 "unknown item id 'nope'" -- "$l2aug" recommend --checkpoint "$out/best.ckpt" --history 3,nope
expect 1 "unknown user id 'nobody'" -- "$l2aug" recommend --checkpoint "$out/best.ckpt" --user nobody
expect 2 "give either --user" -- "$l2aug" recommend --checkpoint "$out/best.ckpt"

# SIGINT writes a checkpoint and exits 130; --resume then finishes the run.
long="$scratch/long"
"$l2aug" train --model gru4rec --data "$data" --out "$long" --set model.dim=16 --set train.batch_size=8 \
  --set train.epochs=1000 --set train.eval_every=1000 > "$scratch/long.log" 2>&1 &
pid=$!
# Interrupt once training has started (a progress line names a step), not after a fixed delay: a
# slow machine or a sanitized build may still be loading the data.
for _ in $(seq 600); do grep -q " step " "$scratch/long.log" 2>/dev/null && break; sleep 0.2; done
check "the run was training when interrupted" kill -0 "$pid"
kill -INT "$pid"
wait "$pid"
rc=$?
check "SIGINT exits with 130 (got $rc)" test "$rc" -eq 130
check "SIGINT left a checkpoint" test -s "$long/last.ckpt"
check "no temporary file left behind" test -z "$(ls "$long" | grep '\.tmp\.' || true)"
expect 0 "step limit" -- "$l2aug" train --model gru4rec --data "$data" --out "$long" --set model.dim=16 \
  --set train.batch_size=8 --set train.epochs=1000 --set train.eval_every=1000 --set train.max_steps=200 --resume

cli_summary cli_train_test
