#!/usr/bin/env python3
"""Diagnostics of L2Aug runs (the questions to ask when L2Aug does not beat the baselines): does the
reward correlate with the validation gain, does the policy move away from uniform, does replay
protect core users? Reads the l2aug_log.csv of one or more runs (an `l2aug treat --treatment l2aug`
folder, or an experiment cell) and prints one block per run.

Usage: bench/quality/l2aug_diagnostics.py <l2aug_log.csv or folder holding it>...

Per run:
- reward: mean, std and share of positive rewards over the inner steps (the meta-set gain of the
  fine-tuned copy, Algorithm 1 line 12);
- policy: mean action probabilities over the first and the last 10% of the inner steps, and the
  entropy (ln 2 = 0.693 is uniform over keep/drop);
- validation: casual and core validation NDCG@10 of the pretrained model, at the best validation
  and at the last one;
- correlation: Pearson correlation, over the validation intervals, between the sum of the rewards
  in an interval and the change of the casual validation criterion across it. Near zero means the
  meta-set reward does not predict what the recommender gains on validation users.
"""
import csv
import math
import os
import statistics
import sys


def load(path):
    if os.path.isdir(path):
        path = os.path.join(path, "l2aug_log.csv")
    with open(path) as f:
        return path, [{k: float(v) for k, v in row.items()} for row in csv.DictReader(f)]


def pearson(xs, ys):
    if len(xs) < 3:
        return float("nan")
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    return sxy / math.sqrt(sxx * syy) if sxx > 0 and syy > 0 else float("nan")


def report(path, rows):
    steps = [r for r in rows if r["iteration"] >= 0]
    validated = [r for r in rows if r["validated"] == 1]
    if not steps or not validated:
        print(f"{path}: no inner steps or no validation yet")
        return
    rewards = [r["reward"] for r in steps]
    tenth = max(1, len(steps) // 10)
    actions = [k[2:] for k in rows[0] if k.startswith("p_")]
    first = {a: statistics.fmean(r["p_" + a] for r in steps[:tenth]) for a in actions}
    last = {a: statistics.fmean(r["p_" + a] for r in steps[-tenth:]) for a in actions}
    best = max(validated, key=lambda r: r["criterion"])
    # Reward summed over each validation interval against the change of the criterion across it.
    sums, gains = [], []
    for a, b in zip(validated, validated[1:]):
        sums.append(sum(r["reward"] for r in steps if a["iteration"] < r["iteration"] <= b["iteration"]))
        gains.append(b["criterion"] - a["criterion"])
    print(path)
    print(f"  inner steps {len(steps)}; reward mean {statistics.fmean(rewards):+.2e}, std {statistics.pstdev(rewards):.2e}, "
          f"positive {sum(r > 0 for r in rewards) / len(rewards):.0%}")
    print("  policy: first 10% " + ", ".join(f"p({a}) {first[a]:.3f}" for a in actions) + "; last 10% " +
          ", ".join(f"p({a}) {last[a]:.3f}" for a in actions) +
          f"; entropy {steps[0]['entropy']:.3f} -> {steps[-1]['entropy']:.3f}")
    for name, r in (("pretrained", validated[0]), (f"best (iteration {int(best['iteration'])})", best),
                    (f"last (iteration {int(validated[-1]['iteration'])})", validated[-1])):
        print(f"  validation {name}: casual NDCG@10 {100 * r['valid_casual_ndcg@10']:.3f}%, "
              f"core NDCG@10 {100 * r['valid_core_ndcg@10']:.3f}%")
    print(f"  correlation of interval reward with casual validation gain: {pearson(sums, gains):+.2f} "
          f"over {len(sums)} intervals")


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for p in sys.argv[1:]:
        report(*load(p))


if __name__ == "__main__":
    main()
