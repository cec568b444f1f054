#!/usr/bin/python3
"""PyTorch twin of bench/autograd/bench_autograd.cpp: the same SASRec block (TF-original layout,
one head, dropout 0.2, training mode) and the same tiny-op chain. Run through bench/torch/run.sh,
which configures PyTorch at its best (OpenMP OpenBLAS by path, OPENBLAS_CORETYPE, threads)."""
import math
import sys

import torch

from timing import median_seconds


class Block(torch.nn.Module):
    def __init__(self, C, p):
        super().__init__()
        self.ln_attn, self.ln_ffn = torch.nn.LayerNorm(C, eps=1e-8), torch.nn.LayerNorm(C, eps=1e-8)
        self.q, self.k, self.v = torch.nn.Linear(C, C), torch.nn.Linear(C, C), torch.nn.Linear(C, C)
        self.w1, self.w2 = torch.nn.Linear(C, C), torch.nn.Linear(C, C)
        self.drop = torch.nn.Dropout(p)

    def forward(self, x, pad, mask):
        T = x.shape[1]
        q = self.ln_attn(x)
        s = self.q(q) @ self.k(x).transpose(1, 2) / math.sqrt(x.shape[-1])
        s = s.masked_fill(pad.unsqueeze(1), -2.0 ** 32 + 1)
        s = s.masked_fill(torch.triu(torch.ones(T, T, dtype=torch.bool), 1), -2.0 ** 32 + 1)
        h = q + self.drop(torch.softmax(s, -1)) @ self.v(x)
        f = self.ln_ffn(h)
        y = f + self.drop(self.w2(self.drop(torch.relu(self.w1(f)))))
        return y * mask.unsqueeze(-1)


def main():
    threads = int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else 2
    reps = int(sys.argv[sys.argv.index("--reps") + 1]) if "--reps" in sys.argv else 10
    torch.set_num_threads(threads)
    print("threads", torch.get_num_threads())
    B, C = 128, 64
    for T in (50, 200):
        block = Block(C, 0.2).train()
        x0 = torch.rand(B, T, C) * 2 - 1
        pad = torch.zeros(B, T, dtype=torch.bool)
        mask = torch.ones(B, T)

        def step():
            x = x0.clone().requires_grad_(True)
            block(x, pad, mask).sum().backward()
            block.zero_grad()

        print("sasrec_block B=%d T=%d C=%d fwd+bwd: %.2f ms" % (B, T, C, median_seconds(step, reps, warmup=2) * 1e3))
    chain = 10000

    def tiny():
        x = torch.ones(1, requires_grad=True)
        y = x
        for _ in range(chain):
            y = y + x
        y.backward()

    print("tiny op (add of [1] tensors) fwd+bwd: %.3f us per op" % (median_seconds(tiny, reps, warmup=2) / chain * 1e6))


if __name__ == "__main__":
    main()
