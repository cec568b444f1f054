#!/usr/bin/env bash
# `l2aug reward` from the command line: nonsense flags and estimators are refused naming them; a
# small run writes the figures of every estimator, reuses its pretrained recommender when run
# again, and its keep-all control shows no variance from actions; --track-epochs writes one
# measurement per epoch; a trained policy's profile from treat and from augment --profile. Usage: reward_cli_test.sh <l2aug binary>
set -u
l2aug=$1
cmd=("$l2aug" --threads 1)
source "$(dirname "$0")/../common/cli_expect.sh"
small=(--data "synthetic:users=400,items=150,topics=6" --set model.dim=16 --set model.maxlen=30
       --set train.epochs=4 --set train.eval_every=2 --set treatment.batch=32 --set treatment.policy_dim=8)

expect 2 "--batches must be at least 2" -- "${cmd[@]}" reward "${small[@]}" --out "$scratch/r" --batches 1
expect 2 "--samples must be at least 2" -- "${cmd[@]}" reward "${small[@]}" --out "$scratch/r" --samples 0
expect 2 "unknown L2Aug setting 'fine_tune'" -- "${cmd[@]}" reward "${small[@]}" --out "$scratch/r" --estimator "x:fine_tune=2"
expect 2 "'paired' is not key=value" -- "${cmd[@]}" reward "${small[@]}" --out "$scratch/r" --estimator "x:paired"
expect 2 "the label before ':' is empty" -- "${cmd[@]}" reward "${small[@]}" --out "$scratch/r" --estimator ":paired=true"
expect 2 "'reward' must be hr, ndcg, hr+ndcg, mrr, ndcg_full or loglik" -- "${cmd[@]}" reward "${small[@]}" --out "$scratch/r" --estimator "x:reward=auc"
expect 2 "--track-epochs must be at least 3" -- "${cmd[@]}" reward "${small[@]}" --out "$scratch/r" --track-epochs 2
check "no output folder was written by refused commands" test ! -e "$scratch/r"

expect 0 "keep_all" -- "${cmd[@]}" reward "${small[@]}" --out "$scratch/r" --batches 3 --samples 3 \
  --estimator paper --estimator "smooth:reward=loglik,paired=true,baseline=true" --estimator "keep_all:policy=keep_all" \
  --estimator "credit:reward=loglik,paired=true,credit=sequence"
check "the figures were written" python3 -c "
import json, sys
r = json.load(open('$scratch/r/reward.json'))
e = {x['label']: x for x in r['estimators']}
assert list(e) == ['paper', 'smooth', 'keep_all', 'credit'], list(e)
assert all(len(x['rewards']) == 3 and len(x['rewards'][0]) == 3 for x in e.values())
assert e['keep_all']['var_actions'] == 0 and e['keep_all']['ties'] == 1
assert e['smooth']['var_actions'] > 0 and e['smooth']['settings']['reward'] == 'loglik'
# per-sequence credit: a first-order prediction per sample, sequences credited apart
assert e['paper']['predicted'] == [] and len(e['credit']['predicted']) == 3 and len(e['credit']['predicted'][0]) == 3
assert e['credit']['credit_spread'] > 0 and -1 <= e['credit']['credit_correlation'] <= 1
"
cp "$scratch/r/reward.json" "$scratch/first.json"
expect 0 "already" -- "${cmd[@]}" reward "${small[@]}" --out "$scratch/r" --batches 3 --samples 3 \
  --estimator paper --estimator "smooth:reward=loglik,paired=true,baseline=true" --estimator "keep_all:policy=keep_all" \
  --estimator "credit:reward=loglik,paired=true,credit=sequence"
check "a second run from the same pretrained recommender gives the same figures" python3 -c "
import json
a, b = (json.load(open(p))['estimators'] for p in ('$scratch/first.json', '$scratch/r/reward.json'))
assert [x['rewards'] for x in a] == [x['rewards'] for x in b]
"
expect 0 "loglik" -- "${cmd[@]}" reward "${small[@]}" --out "$scratch/t" --track-epochs 3
check "one measurement per epoch" python3 -c "
import json
t = json.load(open('$scratch/t/objectives.json'))
assert t['epochs'] == [1, 2, 3] and len(t['meta']['loglik']) == 3
"
# A trained policy's profile: written beside the policy by treat, and again by augment --profile.
"${cmd[@]}" treat "${small[@]}" --treatment l2aug --set treatment.iterations=20 --set treatment.eval_every=10 \
  --out "$scratch/l2" > "$scratch/l2.log" 2>&1
check "treat wrote the policy's profile" test -s "$scratch/l2/policy_profile.json"
expect 2 "give --dump FILE, --profile FILE or both" -- "${cmd[@]}" augment --policy "$scratch/l2/policy.ckpt" \
  --data "synthetic:users=400,items=150,topics=6"
expect 0 "wrote" -- "${cmd[@]}" augment --policy "$scratch/l2/policy.ckpt" --data "synthetic:users=400,items=150,topics=6" \
  --profile "$scratch/profile.json"
check "augment --profile gives treat's profile" python3 -c "
import json
a, b = (json.load(open(p)) for p in ('$scratch/l2/policy_profile.json', '$scratch/profile.json'))
assert all(a[v]['p_edit'] == b[v]['p_edit'] for v in ('popularity_decile', 'from_end', 'continuity'))
"
cli_summary reward_cli
