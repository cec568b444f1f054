#!/usr/bin/python3
"""PyTorch twin of bench/l2aug/bench_inner_step.cpp: one L2Aug inner step with SASRec (20,000
items, length 200, width 100), a fine-tune batch of 512 sequences and a meta set of 1,391 users
(Beauty's), for each estimator: the policy (the augmentor of Eq. 3-4, keep/drop) forward and
sampling, then per fine-tune the estimator needs a deep copy of the recommender and its Adam state,
one fine-tune step (gradient clipping at 5) and the meta objective with full ranking (HR@10 +
NDCG@10, or the mean log-likelihood for loglik), then the REINFORCE update (leave-one-out
advantages for samples4; paired fine-tunes the unaugmented batch too). Run through bench/torch/run.sh.

By default every sequence is random and of the full length 200. With --split DIR (a split written
by `l2aug data export`) the batch and the meta set are the same real sequences bench_inner_step.cpp
reads; each fine-tune batch is then padded to its longest sequence (as train_model.py does) and the
meta users are scored in blocks of similar history length, sorted as l2aug sorts them."""
import argparse
import copy
import math
import statistics
import time

import torch
import torch.nn.functional as F

import l2aug_models as M


def read_split(d, B, L):
    """B core users' training sequences (every (n/B)-th core user with >= 2 training items, in id
    order; the last L + 1 items) and the meta users' (history, target), as bench_inner_step.cpp."""
    train = {}
    for ln in open(d + "/train.txt"):
        f = ln.split()
        if f:
            train[int(f[0])] = [int(x) for x in f[1:]][-(L + 1):]
    core = []
    for ln in open(d + "/users.tsv"):
        f = ln.split()
        if len(f) >= 3 and f[2] == "core" and int(f[0]) in train and len(train[int(f[0])]) >= 2:
            core.append(int(f[0]))
    core.sort()
    seqs = [train[core[j * len(core) // B]] for j in range(B)]
    meta = []
    for ln in open(d + "/meta.txt"):
        f = [int(x) for x in ln.split()]
        if len(f) >= 3:
            meta.append((f[2:][-L:], f[1]))
    return seqs, meta


def left_pad(rows, T):
    out = torch.zeros(len(rows), T, dtype=torch.long)
    for r, s in enumerate(rows):
        if s:
            out[r, T - len(s):] = torch.tensor(s)
    return out


class Augmentor(torch.nn.Module):
    def __init__(self, n_items, d=64, maxlen=200, actions=2):
        super().__init__()
        self.items = torch.nn.Embedding(n_items + 1, d, padding_idx=0)
        self.positions = torch.nn.Embedding(maxlen, d)
        self.wq, self.wk, self.wv = (torch.nn.Linear(d, d, bias=False) for _ in range(3))
        self.wa = torch.nn.Linear(d, actions, bias=False)
        self.d = d

    def forward(self, items):
        T = items.shape[1]
        e = self.items(items) + self.positions(torch.arange(T))
        s = self.wq(e) @ self.wk(e).transpose(1, 2) / math.sqrt(self.d)
        s = s.masked_fill(torch.triu(torch.ones(T, T, dtype=torch.bool), 1), -2.0 ** 32 + 1)
        h = torch.softmax(s, -1) @ self.wv(e) + e
        return self.wa(h)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--estimator", choices=["paper", "loglik", "paired", "samples4"], default="paper")
    ap.add_argument("--batch", type=int, default=512)
    ap.add_argument("--meta", type=int, default=1391)
    ap.add_argument("--split", default=None, help="a split written by `l2aug data export`: real sequences")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    V, L, B, META = 20000, 200, a.batch, a.meta
    S = 4 if a.estimator == "samples4" else 1
    model = M.SASRec(V, 100, L, blocks=2, heads=1, p=0.5)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.98))
    seqs = torch.randint(1, V + 1, (B, L + 1))
    positions = torch.arange(L).expand(B, L)
    loss = M.next_item_loss(model, seqs[:, :-1], positions, seqs[:, 1:], torch.randint(1, V + 1, (B, L)))
    if a.split:
        seq_lists, meta_cases = read_split(a.split, B, L)
        meta_cases.sort(key=lambda c: len(c[0]))
    else:
        seq_lists = seqs.tolist()
        meta_cases = list(zip(torch.randint(1, V + 1, (META, L)).tolist(), torch.randint(1, V + 1, (META,)).tolist()))
    META = len(meta_cases)
    policy_input = left_pad(seq_lists, max(len(s) for s in seq_lists))
    real = policy_input != 0
    loss.backward()
    opt.step()
    opt.zero_grad()
    policy = Augmentor(V, 64, L + 1)  # the policy reads all L + 1 items of a sequence
    popt = torch.optim.Adam(policy.parameters(), lr=1e-3)
    meta_blocks = []  # blocks of 256 users, as l2aug scores them: (items, positions, targets)
    for b in range(0, META, 256):
        chunk = meta_cases[b:b + 256]
        T = max(len(h) for h, _ in chunk)
        meta_blocks.append((left_pad([h for h, _ in chunk], T), (L - T) + torch.arange(T).expand(len(chunk), T),
                            torch.tensor([t for _, t in chunk])))
    totals = []

    def fine_tuned_meta(augmented):
        f = copy.deepcopy(model)  # f' = a copy of the recommender and of its optimiser state
        fopt = torch.optim.Adam(f.parameters(), lr=1e-3, betas=(0.9, 0.98))
        fopt.load_state_dict(copy.deepcopy(opt.state_dict()))
        T = max(len(s) for s in augmented)
        items = torch.zeros(B, T - 1, dtype=torch.long)
        targets = torch.zeros(B, T - 1, dtype=torch.long)
        for r, s in enumerate(augmented):
            if len(s) >= 2:
                items[r, T - len(s):] = torch.tensor(s[:-1])
                targets[r, T - len(s):] = torch.tensor(s[1:])
        pos = (L - (T - 1)) + torch.arange(T - 1).expand(B, T - 1)
        negs = torch.randint(1, V + 1, (B, T - 1)) * (targets != 0)
        f.train()
        loss = M.next_item_loss(f, items, pos, targets, negs)
        fopt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(f.parameters(), 5.0)
        fopt.step()
        f.eval()
        total = 0.0
        with torch.no_grad():
            for items, positions, targets in meta_blocks:
                s = M.scores_last(f, items, positions)[:, 1:]
                t = (targets - 1)[:, None]
                if a.estimator == "loglik":
                    total += torch.log_softmax(s, 1).gather(1, t).sum().item()
                else:
                    rank = (s >= s.gather(1, t)).sum(1).double()
                    total += ((rank <= 10).double() * (1.0 + 1.0 / torch.log2(1.0 + rank))).sum().item()
        return total / META

    for rep in range(a.reps + 1):
        t0 = time.perf_counter()
        logits = policy(policy_input)
        dist = torch.distributions.Categorical(logits=logits)
        samples = [dist.sample() for _ in range(S)]
        before = fine_tuned_meta(seq_lists) if a.estimator == "paired" else 0.0
        rewards = []
        for actions in samples:
            kept = (actions == 0) & real
            augmented = [policy_input[r][kept[r]].tolist() for r in range(B)]
            augmented = [k if len(k) >= 2 else seq_lists[r][-2:] for r, k in enumerate(augmented)]
            rewards.append(fine_tuned_meta(augmented) - before)
        if S == 1:
            advantages = rewards
        else:
            mean = sum(rewards) / S
            advantages = [(r - mean) * S / (S - 1) for r in rewards]
        ploss = -sum(adv * (dist.log_prob(act) * real).sum() for adv, act in zip(advantages, samples)) / (B * S)
        popt.zero_grad()
        ploss.backward()
        popt.step()
        if rep > 0:
            totals.append(time.perf_counter() - t0)
    print("threads", torch.get_num_threads())
    print("inner step %s (SASRec, %d items, length %d, fine-tune batch %d, meta %d users): median %.3f s"
          % (a.estimator, V, L, B, META, statistics.median(totals)))


if __name__ == "__main__":
    main()
