#!/usr/bin/python3
"""PyTorch twin of bench/models/bench_models.cpp: training throughput (forward + backward + Adam on
full-length sequences) and full-ranking evaluation throughput (scores against every item and the
target's rank) of the same three models (l2aug_models.py), at the same settings.
Run through bench/torch/run.sh so that PyTorch is configured at its best:
    bench/torch/run.sh bench/torch/bench_models.py --threads 2
"""
import argparse

import torch

from timing import median_seconds

import l2aug_models as M

SETTINGS = {"paper": (20000, 200, 100, 512), "small": (20000, 50, 64, 128)}


def make(name, n_items, maxlen, d):
    if name == "sasrec":
        return M.SASRec(n_items, d, maxlen, blocks=2, heads=1, p=0.5)
    if name == "gru4rec":
        return M.GRU4Rec(n_items, d, hidden=d, p=0.5)
    return M.NextItNet(n_items, d)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--models", default="sasrec,gru4rec,nextitnet")
    ap.add_argument("--settings", default="paper,small")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    print("threads", torch.get_num_threads())
    for name in a.models.split(","):
        for sname, (n_items, maxlen, d, B) in SETTINGS.items():
            if sname not in a.settings:
                continue
            torch.manual_seed(1)
            model = make(name, n_items, maxlen, d)
            opt = torch.optim.Adam(model.parameters(), lr=1e-3)
            items = torch.randint(1, n_items + 1, (B, maxlen))
            targets = torch.randint(1, n_items + 1, (B, maxlen))
            negatives = torch.randint(1, n_items + 1, (B, maxlen))
            positions = torch.arange(maxlen).expand(B, maxlen)

            def step():
                model.train()
                loss = M.next_item_loss(model, items, positions, targets, negatives)
                opt.zero_grad()
                loss.backward()
                opt.step()

            train = median_seconds(step, a.reps, warmup=1)

            def evaluate():
                model.eval()
                with torch.no_grad():
                    s = M.scores_last(model, items, positions)
                    t = targets[:, -1]
                    ts = s.gather(1, t[:, None])
                    # rank with ties counted against the target, items 1..V
                    (s[:, 1:] >= ts).sum(1)

            ev = median_seconds(evaluate, a.reps, warmup=1)
            print("%s %s (items %d, len %d, width %d, batch %d): train %.1f seq/s (%.0f ms/step), eval %.0f users/s"
                  % (name, sname, n_items, maxlen, d, B, B / train, train * 1e3, B / ev), flush=True)


if __name__ == "__main__":
    main()
