#!/usr/bin/python3
"""Reference values for the three recommenders, computed with their PyTorch twins
(bench/torch/l2aug_models.py): for a small configuration with fixed weights and a fixed left-padded
batch, the loss of Eq. (2), its gradient for every parameter, and the scores of every item at the
last position. Writes tests/recsys/fixtures/model_<name>.txt. Run from the repository root with
Debian's interpreter:  /usr/bin/python3 bench/reference/make_model_fixtures.py
"""
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "torch"))
sys.path.insert(0, os.path.dirname(__file__))
import l2aug_models as M  # noqa: E402
from make_nn_fixtures import write as write_fixture  # noqa: E402

torch.set_default_dtype(torch.float64)
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "recsys", "fixtures")

V, D, MAXLEN = 20, 8, 10


def batch(g):
    items = torch.tensor([[0, 0, 3, 7, 1, 4], [5, 2, 9, 9, 11, 20]])
    targets = torch.tensor([[0, 0, 7, 1, 4, 6], [2, 9, 9, 11, 20, 13]])
    negatives = torch.tensor([[0, 0, 15, 2, 17, 8], [1, 3, 4, 5, 6, 7]])
    T = items.shape[1]
    positions = (MAXLEN - T) + torch.arange(T).expand(2, T)
    return items, positions, targets, negatives


def run(name, model, g):
    with torch.no_grad():
        for p in model.parameters():
            p.copy_((torch.rand(p.shape, generator=g) * 2 - 1) * 0.5)
        model.items.weight[0].zero_()
    model.eval()
    items, positions, targets, negatives = batch(g)
    weights = torch.tensor([1.0, 0.5])
    loss = M.next_item_loss(model, items, positions, targets, negatives, weights)
    loss.backward()
    out = {"items": items, "positions": positions, "targets": targets, "negatives": negatives,
           "weights": weights, "loss": loss.reshape(1), "scores_last": M.scores_last(model, items, positions)}
    for k, v in M.state_dict_l2aug(model).items():
        out[k] = v
    for k, v in M.state_dict_l2aug(model, grads=True).items():
        out["grad." + k] = v
    os.makedirs(OUT, exist_ok=True)
    write_fixture("model_" + name, out, OUT)


if __name__ == "__main__":
    g = torch.Generator().manual_seed(7)
    run("sasrec", M.SASRec(V, D, MAXLEN, blocks=2, heads=2, p=0.0), g)
    run("gru4rec", M.GRU4Rec(V, D, hidden=6, p=0.0), g)
    run("nextitnet", M.NextItNet(V, D, dilations=(1, 2), k=3), g)
