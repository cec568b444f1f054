#!/usr/bin/env bash
# `l2aug treat` from the command line: a run stopped by SIGTERM (exit 130, a checkpoint left) and
# continued with --resume ends with exactly the metrics, test ranks and policy of an uninterrupted
# run, for a plain training and for L2Aug with the reward baseline and normalisation on (their
# running moments live in the checkpoint); a model file handed where a policy is expected, and the
# reverse, is refused naming the file; so is a checkpoint of a format older than any written.
# Usage: treat_cli_test.sh <l2aug binary>
set -u
l2aug=$1
# One thread: the runs are small, and results do not depend on the thread count.
cmd=("$l2aug" --threads 1)
source "$(dirname "$0")/../common/cli_expect.sh"
data="synthetic:users=400,items=150,topics=6"
model=(--data "$data" --set model.dim=16 --set model.maxlen=30)
# Checkpoints after every epoch or iteration (checkpoint_seconds=0). The plain run stops once its
# first validation wrote best.ckpt (so the checkpoint holds a best value, a log and best
# parameters), L2Aug once its first iteration is checkpointed (with a reward baseline); 90 epochs
# or 149 iterations (a second or more) are left then, so the signal reaches a running process.
plain=("${model[@]}" --treatment none --set train.batch_size=16 --set train.epochs=100 --set train.eval_every=10
       --set train.patience=100 --set train.checkpoint_seconds=0)
augmented=("${model[@]}" --treatment l2aug --set train.batch_size=64 --set train.epochs=4 --set train.eval_every=2
    --set treatment.batch=32 --set treatment.iterations=150 --set treatment.eval_every=50 --set treatment.patience=100
    --set treatment.policy_dim=8 --set treatment.baseline=true --set treatment.normalize=true
    --set treatment.checkpoint_seconds=0)

# The help lists every treatment's settings (tests/l2aug/app/test_settings_tables.cpp).
expect 0 "treatment adversarial settings (--set treatment.KEY=VALUE)" -- "$l2aug" treat --help
expect 0 "  policy_lr" -- "$l2aug" treat --help

# stop_and_resume <name> <marker> <checkpoint> <treat options...>: an uninterrupted run, then a
# run that gets SIGTERM once <marker> (a file in its folder) exists and must leave <checkpoint>,
# resumed with --resume; the two must end with the same files, byte for byte.
stop_and_resume() {
  local name=$1 marker=$2 checkpoint=$3
  shift 3
  local straight="$scratch/$name-straight" stopped="$scratch/$name-stopped"
  "${cmd[@]}" treat --out "$straight" "$@" > "$straight.log" 2>&1
  check "$name: the uninterrupted run finished" test -s "$straight/metrics.json"

  "${cmd[@]}" treat --out "$stopped" "$@" > "$stopped.log" 2>&1 &
  local pid=$! polls=0
  # The wait ends on the marker (or the process ending); the bound only stops a hung test.
  while [ ! -e "$stopped/$marker" ] && kill -0 "$pid" 2> /dev/null && [ "$polls" -lt 6000 ]; do
    sleep 0.02
    polls=$((polls + 1))
  done
  local alive=no
  kill -0 "$pid" 2> /dev/null && alive=yes
  check "$name: running when $marker appeared" test "$alive" = yes
  kill -TERM "$pid" 2> /dev/null
  wait "$pid"
  local rc=$?
  check "$name: SIGTERM exits with 130 (got $rc)" test "$rc" -eq 130
  check "$name: the stopped run left $checkpoint" test -s "$stopped/$checkpoint"
  check "$name: the stopped run wrote no metrics" test ! -e "$stopped/metrics.json"
  expect 2 "pass --resume" -- "${cmd[@]}" treat --out "$stopped" "$@"

  "${cmd[@]}" treat --out "$stopped" "$@" --resume > "$stopped.resumed.log" 2>&1
  check "$name: the resumed run finished" test -s "$stopped/metrics.json"
  local f
  for f in metrics.json ranks_test.tsv; do
    check "$name: $f of the resumed run equals the uninterrupted one's" cmp -s "$straight/$f" "$stopped/$f"
  done
}

stop_and_resume plain best.ckpt last.ckpt "${plain[@]}"
stop_and_resume l2aug l2aug_last.ckpt l2aug_last.ckpt "${augmented[@]}"
check "l2aug: the resumed run's policy equals the uninterrupted one's" \
  cmp -s "$scratch/l2aug-straight/policy.ckpt" "$scratch/l2aug-stopped/policy.ckpt"

# A model file where a policy is expected, and a policy where a model (or a training state) is.
run="$scratch/l2aug-straight"
expect 0 "augmented" -- "${cmd[@]}" augment --policy "$run/policy.ckpt" --data "$data" --dump "$scratch/edits.tsv"
expect 1 "$run/best.ckpt is not an L2Aug policy file" -- \
  "${cmd[@]}" augment --policy "$run/best.ckpt" --data "$data" --dump "$scratch/edits.tsv"
expect 1 "$run/policy.ckpt is a checkpoint but not an l2aug model file" -- \
  "${cmd[@]}" eval --checkpoint "$run/policy.ckpt" --data "$data"
expect 1 "$run/policy.ckpt is a checkpoint but not an l2aug model file" -- \
  "${cmd[@]}" treat --out "$scratch/from-policy" "${augmented[@]}" --pretrained "$run/policy.ckpt"
mkdir -p "$scratch/policy-as-state"
cp "$run/policy.ckpt" "$scratch/policy-as-state/last.ckpt"
expect 1 "holds no training state" -- "${cmd[@]}" treat --out "$scratch/policy-as-state" "${plain[@]}" --resume

# Format 0 (the u32 after the 8-byte magic) was never written: refused, naming file and version.
cp "$run/best.ckpt" "$scratch/format0.ckpt"
printf '\0\0\0\0' | dd of="$scratch/format0.ckpt" bs=1 seek=8 conv=notrunc status=none
expect 1 "$scratch/format0.ckpt: checkpoint format 0 is older" -- \
  "${cmd[@]}" eval --checkpoint "$scratch/format0.ckpt" --data "$data"

cli_summary treat_cli_test
