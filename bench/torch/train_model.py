#!/usr/bin/python3
"""Train the PyTorch twin of one of l2aug's recommenders (l2aug_models.py: SASRec, GRU4Rec,
NextItNet) on a split exported by `l2aug data export`, with the same recipe as `l2aug train`:
Eq. (2) loss with one negative per position drawn from the items outside the user's training items,
Adam (lr 1e-3, betas 0.9/0.98 for SASRec and 0.9/0.999 otherwise, l2aug's defaults), validation
every `eval_every` epochs with full ranking (ties count against the target, history items stay
candidates), early stopping on validation NDCG@10 over all users, and test metrics of the best
model. Prints one JSON line. Run through bench/torch/run.sh, e.g.
    bench/torch/run.sh bench/torch/train_model.py --model gru4rec --split DIR --seed 1 --threads 1

--init l2aug initialises as l2aug does (for GRU4Rec: Glorot uniform per gate block, zero biases;
for NextItNet: truncated normal 0.02 on the item table and convolutions, zero biases); --init
glorot applies torch's xavier_uniform_ to every matrix as a whole and leaves biases at torch's
defaults (a plain PyTorch model). SASRec always uses the latter (its twin's recipe since issue 5).
"""
import argparse
import json
import math
import os
import random
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(__file__))
import l2aug_models as M  # noqa: E402


def read_split(d):
    def lines(name):
        with open(os.path.join(d, name)) as f:
            return [list(map(int, ln.split())) for ln in f if ln.strip()]
    meta = json.load(open(os.path.join(d, "split.json")))
    train = {r[0]: r[1:] for r in lines("train.txt")}
    valid = {r[0]: (r[1], r[2:]) for r in lines("validation.txt")}  # user target history...
    test = {r[0]: (r[1], r[2:]) for r in lines("test.txt")}
    return meta["num_items"], train, valid, test


def batch(seqs, maxlen):
    T = max(min(len(s), maxlen) for s in seqs)
    items = torch.zeros(len(seqs), T, dtype=torch.long)
    for r, s in enumerate(seqs):
        s = s[-T:]
        items[r, T - len(s):] = torch.tensor(s)
    positions = (maxlen - T) + torch.arange(T).expand(len(seqs), T)
    return items, positions


def evaluate(model, cases, maxlen, n_items, ks=(5, 10)):
    model.eval()
    out = {"users": 0}
    for k in ks:
        out["hr@%d" % k] = 0.0
        out["ndcg@%d" % k] = 0.0
    with torch.no_grad():
        for i in range(0, len(cases), 256):
            chunk = cases[i:i + 256]
            items, positions = batch([h for _, h in chunk], maxlen)
            s = M.scores_last(model, items, positions)[:, 1:]  # items 1..V
            t = torch.tensor([c[0] for c in chunk]) - 1
            ts = s.gather(1, t[:, None])
            rank = (s >= ts).sum(1)  # 1 + higher + other equal (the target counts itself once)
            for k in ks:
                hit = (rank <= k).double()
                out["hr@%d" % k] += hit.sum().item()
                out["ndcg@%d" % k] += (hit / torch.log2(1.0 + rank.double())).sum().item()
            out["users"] += len(chunk)
    for k in ks:
        out["hr@%d" % k] /= out["users"]
        out["ndcg@%d" % k] /= out["users"]
    return out


def make_model(a, n_items):
    if a.model == "sasrec":
        model = M.SASRec(n_items, a.dim, a.maxlen, blocks=2, heads=1, p=a.dropout)
    elif a.model == "gru4rec":
        model = M.GRU4Rec(n_items, a.dim, a.hidden, p=a.dropout, dropout_at=a.dropout_at)
    else:
        model = M.NextItNet(n_items, a.dim, dilations=[int(d) for d in a.dilations.split(",")], p=a.dropout)
    with torch.no_grad():
        if a.model == "sasrec" or a.init == "glorot":  # glorot uniform (TF default), LN 1/0
            for p in model.parameters():
                if p.dim() >= 2:
                    torch.nn.init.xavier_uniform_(p)
        elif a.model == "gru4rec":
            torch.nn.init.xavier_uniform_(model.items.weight)
            H = model.gru.hidden_size
            for w in (model.gru.weight_ih_l0, model.gru.weight_hh_l0):  # torch [3H, in]: one gate a block
                for g in range(3):
                    torch.nn.init.xavier_uniform_(w[g * H:(g + 1) * H])
            model.gru.bias_ih_l0.zero_()
            model.gru.bias_hh_l0.zero_()
            if model.projection is not None:
                torch.nn.init.xavier_uniform_(model.projection.weight)
                model.projection.bias.zero_()
        else:
            for p in model.parameters():
                if p.dim() >= 2:  # TF's truncated normal: redrawn beyond 2 std
                    torch.nn.init.trunc_normal_(p, std=0.02, a=-0.04, b=0.04)
            for b in model.blocks:
                b.conv1.bias.zero_()
                b.conv2.bias.zero_()
        model.items.weight[0].zero_()
    return model


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", choices=("sasrec", "gru4rec", "nextitnet"), default="sasrec")
    ap.add_argument("--split", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--dim", type=int, default=50)
    ap.add_argument("--maxlen", type=int, default=50)
    ap.add_argument("--dropout", type=float, default=0.2)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--beta2", type=float, default=None, help="default: 0.98 for SASRec, 0.999 otherwise")
    ap.add_argument("--hidden", type=int, default=100, help="GRU4Rec: GRU units")
    ap.add_argument("--dropout-at", choices=("input", "output"), default="output",
                    help="GRU4Rec: dropout on the item embeddings or on the GRU output")
    ap.add_argument("--dilations", default="1,2,1,2,1,2,1,2", help="NextItNet: one block per dilation d")
    ap.add_argument("--init", choices=("l2aug", "glorot"), default="l2aug")
    ap.add_argument("--epochs", type=int, default=200)
    ap.add_argument("--eval-every", type=int, default=5)
    ap.add_argument("--patience", type=int, default=5)
    ap.add_argument("--log", action="store_true", help="print each epoch's mean train loss and each validation to stderr")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    random.seed(a.seed)
    n_items, train, valid, test = read_split(a.split)
    model = make_model(a, n_items)
    beta2 = a.beta2 if a.beta2 is not None else (0.98 if a.model == "sasrec" else 0.999)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr, betas=(0.9, beta2))
    users = [u for u, s in train.items() if len(s) >= 2]
    seen = {u: set(s) for u, s in train.items()}
    valid_cases = [(t, h) for u, (t, h) in sorted(valid.items()) if h]
    test_cases = [(t, h) for u, (t, h) in sorted(test.items()) if h]
    best, best_state, best_epoch, bad, t0 = -1.0, None, 0, 0, time.time()
    for epoch in range(1, a.epochs + 1):
        model.train()
        random.shuffle(users)
        loss_sum, loss_count = 0.0, 0
        for i in range(0, len(users), a.batch):
            us = users[i:i + a.batch]
            inputs = [train[u][:-1] for u in us]
            items, positions = batch(inputs, a.maxlen)
            T = items.shape[1]
            targets = torch.zeros_like(items)
            negatives = torch.zeros_like(items)
            for r, u in enumerate(us):
                tgt = train[u][1:][-T:]
                targets[r, T - len(tgt):] = torch.tensor(tgt)
                for c in range(T - len(tgt), T):
                    while True:
                        n = random.randint(1, n_items)
                        if n not in seen[u]:
                            break
                    negatives[r, c] = n
            loss = M.next_item_loss(model, items, positions, targets, negatives)
            opt.zero_grad()
            loss.backward()
            opt.step()
            loss_sum += loss.item()
            loss_count += 1
        train_loss = loss_sum / max(1, loss_count)  # mean batch loss of the epoch, as l2aug's train_log.csv
        if a.log and epoch % a.eval_every != 0:
            print("epoch %d train loss %.5f (%.0f s)" % (epoch, train_loss, time.time() - t0), file=sys.stderr, flush=True)
        if epoch % a.eval_every == 0:
            v = evaluate(model, valid_cases, a.maxlen, n_items)
            if a.log:
                print("epoch %d train loss %.5f validation ndcg@10 %.5f hr@10 %.5f (%.0f s)" %
                      (epoch, train_loss, v["ndcg@10"], v["hr@10"], time.time() - t0), file=sys.stderr, flush=True)
            if v["ndcg@10"] > best:
                best, bad, best_epoch = v["ndcg@10"], 0, epoch
                best_state = {k: t.clone() for k, t in model.state_dict().items()}
            else:
                bad += 1
                if bad >= a.patience:
                    break
    model.load_state_dict(best_state)
    t = evaluate(model, test_cases, a.maxlen, n_items)
    print(json.dumps({"implementation": "pytorch", "model": a.model, "seed": a.seed, "epochs": epoch,
                      "best_epoch": best_epoch, "best_validation_ndcg@10": best,
                      "test": t, "seconds": time.time() - t0}))


if __name__ == "__main__":
    main()
