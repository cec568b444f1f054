"""PyTorch twins of l2aug's three recommenders (recsys/models/), written to the same specification
(../../README.md model table, docs/model-specs.md): the same layers in the same order, the same
initialisers, the same loss (the L2Aug paper's Eq. 2). Used by the reference-value script
(bench/reference/make_model_fixtures.py), the throughput race (bench_models.py) and the
training-quality comparison (train_model.py).

Parameter names match l2aug's (`state_dict_l2aug()` / `load_l2aug()`), whose Linear weights are
[in, out] and conv weights [K, Cin, Cout]; PyTorch's are transposed, which those two functions handle.
"""
import math

import torch
import torch.nn.functional as F

MASK = -2.0 ** 32 + 1  # the original SASRec's masked-score value


class SASRecBlock(torch.nn.Module):
    """q = LN(x); x = q + Attn(q, x); f = LN(x); x = f + FFN(f); x *= mask (docs/model-specs.md#sasrec)."""

    def __init__(self, d, heads, p, eps=1e-8):
        super().__init__()
        self.heads = heads
        self.ln_attn = torch.nn.LayerNorm(d, eps=eps)
        self.q, self.k, self.v = torch.nn.Linear(d, d), torch.nn.Linear(d, d), torch.nn.Linear(d, d)
        self.ln_ffn = torch.nn.LayerNorm(d, eps=eps)
        self.w1, self.w2 = torch.nn.Linear(d, d), torch.nn.Linear(d, d)
        self.p = p

    def forward(self, x, pad, mask, causal):
        B, T, d = x.shape
        H, D = self.heads, d // self.heads
        q = self.ln_attn(x)
        Q = self.q(q).view(B, T, H, D).transpose(1, 2)
        K = self.k(x).view(B, T, H, D).transpose(1, 2)
        V = self.v(x).view(B, T, H, D).transpose(1, 2)
        s = Q @ K.transpose(-1, -2) / math.sqrt(D)
        s = s.masked_fill(pad[:, None, None, :], MASK).masked_fill(causal, MASK)
        a = F.dropout(torch.softmax(s, -1), self.p, self.training) @ V
        h = q + a.transpose(1, 2).reshape(B, T, d)
        f = self.ln_ffn(h)
        y = f + F.dropout(self.w2(F.dropout(torch.relu(self.w1(f)), self.p, self.training)), self.p, self.training)
        return y * mask[..., None]


class SASRec(torch.nn.Module):
    def __init__(self, n_items, d=100, maxlen=200, blocks=2, heads=1, p=0.5, eps=1e-8):
        super().__init__()
        self.d = d
        self.items = torch.nn.Embedding(n_items + 1, d, padding_idx=0)
        self.positions = torch.nn.Embedding(maxlen, d)
        self.blocks = torch.nn.ModuleList([SASRecBlock(d, heads, p, eps) for _ in range(blocks)])
        self.final_ln = torch.nn.LayerNorm(d, eps=eps)
        self.p = p

    def hidden(self, items, positions):
        T = items.shape[1]
        pad = items == 0
        mask = (~pad).to(self.items.weight.dtype)
        causal = torch.triu(torch.ones(T, T, dtype=torch.bool, device=items.device), 1)
        x = self.items(items) * math.sqrt(self.d) + self.positions(positions)
        x = F.dropout(x, self.p, self.training) * mask[..., None]
        for b in self.blocks:
            x = b(x, pad, mask, causal)
        return self.final_ln(x)


class GRU4Rec(torch.nn.Module):
    """Embedding -> GRU -> [projection to d when hidden != d]; `dropout_at` says where the dropout of
    rate p applies: "output" (the GRU's output, l2aug's default, as GRU4Rec_TensorFlow's
    output_keep_prob) or "input" (the item embeddings fed to the GRU, as RecBole's GRU4Rec)."""

    def __init__(self, n_items, d=100, hidden=100, p=0.5, dropout_at="output"):
        super().__init__()
        if dropout_at not in ("input", "output"):
            raise ValueError("GRU4Rec: dropout_at must be 'input' or 'output', got %r" % dropout_at)
        self.items = torch.nn.Embedding(n_items + 1, d, padding_idx=0)
        self.gru = torch.nn.GRU(d, hidden, batch_first=True)
        self.projection = torch.nn.Linear(hidden, d) if hidden != d else None
        self.p = p
        self.dropout_at = dropout_at

    def hidden(self, items, positions):
        # Left padding with a zero initial state: padding steps keep the state (as l2aug's mask does)
        # because l2aug carries h through them; PyTorch's GRU would update h on zero inputs, so each
        # row runs from its first real item: rows are rotated to start there, packed, and rotated back.
        mask = (items != 0).to(self.items.weight.dtype)
        x = self.items(items)
        if self.dropout_at == "input":
            x = F.dropout(x, self.p, self.training)
        B, T = items.shape
        lengths = mask.sum(1).long()
        start = (T - lengths)[:, None]
        cols = torch.arange(T, device=items.device)[None, :]
        to_front = ((cols + start) % T)[..., None]
        x_front = x.gather(1, to_front.expand(B, T, x.shape[2]))
        packed = torch.nn.utils.rnn.pack_padded_sequence(x_front, lengths.clamp(min=1).cpu(), batch_first=True,
                                                         enforce_sorted=False)
        y, _ = self.gru(packed)
        y, _ = torch.nn.utils.rnn.pad_packed_sequence(y, batch_first=True, total_length=T)
        out = y.gather(1, ((cols - start) % T)[..., None].expand(B, T, y.shape[2]))
        if self.dropout_at == "output":
            out = F.dropout(out, self.p, self.training)
        h = out * mask[..., None]
        if self.projection is not None:
            h = self.projection(h)
        return h * mask[..., None]


class NextItNetBlock(torch.nn.Module):
    def __init__(self, d, k, dilation, eps=1e-8):
        super().__init__()
        self.k, self.dilation = k, dilation
        self.conv1 = torch.nn.Conv1d(d, d, k, dilation=dilation)
        self.conv2 = torch.nn.Conv1d(d, d, k, dilation=2 * dilation)
        self.ln1, self.ln2 = torch.nn.LayerNorm(d, eps=eps), torch.nn.LayerNorm(d, eps=eps)

    def conv(self, conv, x, dil):
        return conv(F.pad(x.transpose(1, 2), ((self.k - 1) * dil, 0))).transpose(1, 2)

    def forward(self, x, mask):
        h = torch.relu(self.ln1(self.conv(self.conv1, x, self.dilation))) * mask[..., None]
        h = torch.relu(self.ln2(self.conv(self.conv2, h, 2 * self.dilation))) * mask[..., None]
        return x + h


class NextItNet(torch.nn.Module):
    def __init__(self, n_items, d=100, dilations=(1, 2, 1, 2, 1, 2, 1, 2), k=3, eps=1e-8, p=0.0):
        super().__init__()
        self.items = torch.nn.Embedding(n_items + 1, d, padding_idx=0)
        self.blocks = torch.nn.ModuleList([NextItNetBlock(d, k, dl, eps) for dl in dilations])
        self.p = p  # l2aug's model.dropout: on the input embeddings and on the output states

    def hidden(self, items, positions):
        mask = (items != 0).to(self.items.weight.dtype)
        x = F.dropout(self.items(items), self.p, self.training)
        for b in self.blocks:
            x = b(x, mask)
        return F.dropout(x, self.p, self.training) * mask[..., None]


def score(model, h, candidates):
    return (h * model.items(candidates)).sum(-1)


def next_item_loss(model, items, positions, targets, negatives, weights=None):
    """Eq. (2): BCE on the target (1) and one negative (0) at every position with a target."""
    h = model.hidden(items, positions)
    pos, neg = score(model, h, targets), score(model, h, negatives)
    m = (targets != 0).to(h.dtype)
    w = m if weights is None else m * weights[:, None]
    loss = F.binary_cross_entropy_with_logits(pos, torch.ones_like(pos), reduction="none") + \
        F.binary_cross_entropy_with_logits(neg, torch.zeros_like(neg), reduction="none")
    return (loss * w).sum() / m.sum()


def scores_last(model, items, positions):
    h = model.hidden(items, positions)[:, -1]
    return h @ model.items.weight.t()


# ---- l2aug parameter names and layouts ---------------------------------------------------------

def _l2aug_names(model):
    """(l2aug name, torch tensor, transform) for every parameter."""
    out = [("items.weight", model.items.weight, None)]
    if isinstance(model, SASRec):
        out.append(("positions.weight", model.positions.weight, None))
        for i, b in enumerate(model.blocks):
            p = "blocks.%d." % i
            out += [(p + "ln_attn.weight", b.ln_attn.weight, None), (p + "ln_attn.bias", b.ln_attn.bias, None)]
            for n in ("q", "k", "v"):
                lin = getattr(b, n)
                out += [(p + "attn.%s.weight" % n, lin.weight, "t"), (p + "attn.%s.bias" % n, lin.bias, None)]
            out += [(p + "ln_ffn.weight", b.ln_ffn.weight, None), (p + "ln_ffn.bias", b.ln_ffn.bias, None)]
            for n in ("w1", "w2"):
                lin = getattr(b, n)
                out += [(p + "ffn.%s.weight" % n, lin.weight, "t"), (p + "ffn.%s.bias" % n, lin.bias, None)]
        out += [("final_ln.weight", model.final_ln.weight, None), ("final_ln.bias", model.final_ln.bias, None)]
    elif isinstance(model, GRU4Rec):
        g = model.gru
        out += [("gru.weight_ih", g.weight_ih_l0, "t"), ("gru.weight_hh", g.weight_hh_l0, "t"),
                ("gru.bias_ih", g.bias_ih_l0, None), ("gru.bias_hh", g.bias_hh_l0, None)]
        if model.projection is not None:
            out += [("projection.weight", model.projection.weight, "t"), ("projection.bias", model.projection.bias, None)]
    else:
        for i, b in enumerate(model.blocks):
            p = "blocks.%d." % i
            for n in ("conv1", "conv2"):
                c = getattr(b, n)
                out += [(p + n + ".weight", c.weight, "conv"), (p + n + ".bias", c.bias, None)]
            for n in ("ln1", "ln2"):
                ln = getattr(b, n)
                out += [(p + n + ".weight", ln.weight, None), (p + n + ".bias", ln.bias, None)]
    return out


def _to_l2aug(t, how):
    if how == "t":
        return t.t()
    if how == "conv":  # torch [Cout, Cin, K] -> l2aug [K, Cin, Cout]
        return t.permute(2, 1, 0)
    return t


def _from_l2aug(t, how):
    if how == "t":
        return t.t()
    if how == "conv":
        return t.permute(2, 1, 0)
    return t


def state_dict_l2aug(model, grads=False):
    return {n: _to_l2aug(t.grad if grads else t, how).detach() for n, t, how in _l2aug_names(model)}


def load_l2aug(model, state):
    with torch.no_grad():
        for n, t, how in _l2aug_names(model):
            t.copy_(_from_l2aug(state[n], how))
