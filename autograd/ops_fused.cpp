// The fused ops of the models (see ops.h, which names the model each serves): one op where a
// composition of primitive ops would keep large intermediates or pass over memory several times,
// each with a hand-written backward that saves only what it reads, as noted beside it. Where the
// fused op replaces a composition, the composition follows it as the reference its test compares
// against (docs/style.md#compose-first).
#include "autograd/ops.h"
#include "tensor/gemm.h"
#include "tensor/kernels/attention.h"
#include "tensor/kernels/conv1d.h"
#include "tensor/kernels/elementwise.h"
#include "tensor/kernels/embedding.h"
#include "tensor/kernels/gru.h"
#include "tensor/kernels/layer_norm.h"
#include "tensor/kernels/loss.h"
#include "tensor/kernels/reduce.h"

namespace l2 {

// Saves q, k, v and the mask: the probabilities are recomputed in the backward.
Var causal_attention(const Var& q, const Var& k, const Var& v, const IndexTensor& key_padding, std::int64_t heads,
                     float scale, float dropout, std::uint64_t seed, std::uint64_t stream) {
  const Shape& s = q->shape();
  L2_CHECK(s.ndim() == 3 && k->shape() == s && v->shape() == s,
           "causal_attention: q, k, v must be equal [N, T, D], got " << s << ", " << k->shape() << ", " << v->shape());
  L2_CHECK(heads >= 1 && s[0] % heads == 0, "causal_attention: " << s[0] << " slices are not a multiple of " << heads << " heads");
  L2_CHECK(!key_padding.defined() || key_padding.shape() == (Shape{s[0] / heads, s[1]}),
           "causal_attention: key padding must be [" << s[0] / heads << ", " << s[1] << "], got " << key_padding.shape());
  L2_CHECK(dropout >= 0.0f && dropout < 1.0f, "causal_attention: dropout " << dropout << " outside [0, 1)");
  kernels::AttentionShape a{s[0], heads, s[1], s[2], scale, dropout, seed, stream};
  const std::int32_t* pad = key_padding.defined() ? key_padding.data() : nullptr;
  Tensor y = Tensor::empty(s);
  kernels::causal_attention_forward(y.data(), q->value.data(), k->value.data(), v->value.data(), pad, a);
  Tensor qv = q->value, kv = k->value, vv = v->value;
  return make_op("causal_attention", y, {q, k, v}, [a, qv, kv, vv, key_padding](Node& self) {
    Node& Q = *self.inputs[0];
    Node& K = *self.inputs[1];
    Node& V = *self.inputs[2];
    kernels::causal_attention_backward(Q.requires_grad ? dense_grad(Q).data() : nullptr,
                                       K.requires_grad ? dense_grad(K).data() : nullptr,
                                       V.requires_grad ? dense_grad(V).data() : nullptr, self.grad.data(), qv.data(),
                                       kv.data(), vv.data(), key_padding.defined() ? key_padding.data() : nullptr, a);
  });
}

namespace {
// [T, T] mask with 1 above the diagonal: key j is in query i's future when j > i.
IndexTensor causal_mask(std::int64_t T) {
  IndexTensor m = IndexTensor::zeros(Shape{T, T});
  for (std::int64_t i = 0; i < T; ++i)
    for (std::int64_t j = i + 1; j < T; ++j) m[i * T + j] = 1;
  return m;
}
}  // namespace

Var causal_attention_composed(const Var& q, const Var& k, const Var& v, const IndexTensor& key_padding,
                              std::int64_t heads, float scale, float dropout, std::uint64_t seed, std::uint64_t stream) {
  const Shape& s = q->shape();
  L2_CHECK(s.ndim() == 3 && heads >= 1 && s[0] % heads == 0,
           "causal_attention_composed: q must be [B*heads, T, D] with " << heads << " heads, got " << s);
  const std::int64_t N = s[0], B = N / heads, T = s[1];
  Var scores = reshape(l2::scale(matmul(q, k, false, true), scale), Shape{B, heads, T, T});
  if (key_padding.defined())
    scores = masked_fill(scores, key_padding.reshape(Shape{B, 1, 1, T}), kernels::kAttentionMask);
  scores = masked_fill(scores, causal_mask(T), kernels::kAttentionMask);
  Var probs = reshape(l2::dropout(softmax(scores), dropout, seed, stream), Shape{N, T, T});
  return matmul(probs, v);
}

// Saves x, the weights, y and the gates; not the input projections: at the paper's
// setting they are 123 MB, and their gradient another 123 MB, which would otherwise sit beside
// each other at the peak of the backward.
Var gru(const Var& x, const Var& w_ih, const Var& b_ih, const Var& w_hh, const Var& b_hh, const Tensor& mask) {
  const Shape& s = x->shape();
  L2_CHECK(s.ndim() == 3, "gru: input must be [B, T, I], got " << s);
  const std::int64_t B = s[0], T = s[1], I = s[2], H = w_hh->shape()[0], G = 3 * H;
  L2_CHECK(w_ih->shape() == (Shape{I, G}) && b_ih->shape() == (Shape{G}),
           "gru: w_ih must be [" << I << ", " << G << "] and b_ih [" << G << "], got " << w_ih->shape() << " and " << b_ih->shape());
  L2_CHECK(w_hh->shape() == (Shape{H, G}) && b_hh->shape() == (Shape{G}),
           "gru: w_hh must be [" << H << ", " << G << "] and b_hh [" << G << "], got " << w_hh->shape() << " and " << b_hh->shape());
  L2_CHECK(!mask.defined() || mask.shape() == (Shape{B, T}), "gru: mask must be [" << B << ", " << T << "], got " << mask.shape());
  const kernels::GruShape g{B, T, H};
  const std::int64_t M = B * T;
  // The gates are kept only when a backward will read them (not in evaluation).
  const bool record = grad_enabled() && (x->requires_grad || w_ih->requires_grad || b_ih->requires_grad ||
                                         w_hh->requires_grad || b_hh->requires_grad);
  Tensor y = Tensor::empty(Shape{B, T, H}), cache = record ? Tensor::empty(Shape{T, B, 4 * H}) : Tensor();
  {
    Tensor gi = Tensor::empty(Shape{B, T, G});
    affine(gi.data(), x->value.data(), w_ih->value.data(), b_ih->value.data(), M, G, I);
    kernels::gru_forward(y.data(), record ? cache.data() : nullptr, gi.data(), w_hh->value.data(), b_hh->value.data(),
                         mask.defined() ? mask.data() : nullptr, g);
  }
  Tensor xv = x->value, wi = w_ih->value, wh = w_hh->value;
  return make_op("gru", y, {x, w_ih, b_ih, w_hh, b_hh}, [g, M, I, y, cache, xv, wi, wh, mask](Node& self) {
    Node& X = *self.inputs[0];
    Node& Wi = *self.inputs[1];
    Node& Bi = *self.inputs[2];
    Node& Wh = *self.inputs[3];
    Node& Bh = *self.inputs[4];
    const std::int64_t G = 3 * g.H;
    Tensor dgi = Tensor::empty(Shape{g.B, g.T, G});
    kernels::gru_backward(dgi.data(), Wh.requires_grad ? dense_grad(Wh).data() : nullptr,
                          Bh.requires_grad ? dense_grad(Bh).data() : nullptr, self.grad.data(), y.data(), cache.data(),
                          wh.data(), mask.defined() ? mask.data() : nullptr, g);
    if (X.requires_grad) gemm(false, true, M, I, G, 1.0f, dgi.data(), wi.data(), 1.0f, dense_grad(X).data());  // dx = dgi W_ih^T
    if (Wi.requires_grad) gemm(true, false, I, G, M, 1.0f, xv.data(), dgi.data(), 1.0f, dense_grad(Wi).data());  // dW_ih = x^T dgi
    if (Bi.requires_grad) kernels::sum_axis(dense_grad(Bi).data(), dgi.data(), 1, M, G, true);  // db_ih = Σ dgi
  });
}

Var gru_composed(const Var& x, const Var& w_ih, const Var& b_ih, const Var& w_hh, const Var& b_hh, const Tensor& mask) {
  const Shape& s = x->shape();
  L2_CHECK(s.ndim() == 3, "gru_composed: input must be [B, T, I], got " << s);
  const std::int64_t B = s[0], T = s[1], H = w_hh->shape()[0];
  L2_CHECK(!mask.defined() || mask.shape() == (Shape{B, T}),
           "gru_composed: mask must be [" << B << ", " << T << "], got " << mask.shape());
  Var gi_all = add(matmul(x, w_ih), b_ih);  // all input projections in one GEMM: [B, T, 3H]
  Var h = constant(Tensor::zeros(Shape{B, H}));
  std::vector<Var> outputs;
  outputs.reserve(size_t(T));
  for (std::int64_t t = 0; t < T; ++t) {
    Var gi = reshape(slice(gi_all, 1, t, t + 1), Shape{B, 3 * H});
    Var gh = add(matmul(h, w_hh), b_hh);
    Var rz = sigmoid(add(slice(gi, 1, 0, 2 * H), slice(gh, 1, 0, 2 * H)));
    Var r = slice(rz, 1, 0, H), z = slice(rz, 1, H, 2 * H);
    Var n = tanh(add(slice(gi, 1, 2 * H, 3 * H), mul(r, slice(gh, 1, 2 * H, 3 * H))));
    Var next = add(n, mul(z, sub(h, n)));  // (1 - z) n + z h
    if (mask.defined()) {
      Tensor m = Tensor::empty(Shape{B, 1});
      for (std::int64_t b = 0; b < B; ++b) m[b] = mask[b * T + t];
      next = add(h, mul(sub(next, h), constant(m)));  // padding steps keep h
    }
    h = next;
    outputs.push_back(reshape(h, Shape{B, 1, H}));
  }
  return concat(outputs, 1);
}

// Saves x and w.
Var causal_conv1d(const Var& x, const Var& w, const Var& b, std::int64_t dilation) {
  L2_CHECK(x->shape().ndim() == 3, "causal_conv1d: input must be [B, T, Cin], got " << x->shape());
  L2_CHECK(w->shape().ndim() == 3 && w->shape()[1] == x->shape()[2],
           "causal_conv1d: weight must be [K, Cin, Cout] with Cin = " << x->shape()[2] << ", got " << w->shape());
  L2_CHECK(b->shape() == Shape{w->shape()[2]}, "causal_conv1d: bias must be [" << w->shape()[2] << "], got " << b->shape());
  L2_CHECK(dilation >= 1, "causal_conv1d: dilation must be >= 1, got " << dilation);
  const std::int64_t B = x->shape()[0], T = x->shape()[1], Cin = x->shape()[2];
  const std::int64_t K = w->shape()[0], Cout = w->shape()[2];
  Tensor y = Tensor::empty(Shape{B, T, Cout});
  kernels::causal_conv1d_forward(y.data(), x->value.data(), w->value.data(), b->value.data(), B, T, Cin, Cout, K,
                                 dilation);
  Tensor xv = x->value, wv = w->value;
  return make_op("causal_conv1d", y, {x, w, b}, [=](Node& self) {
    Node& X = *self.inputs[0];
    Node& W = *self.inputs[1];
    Node& Bb = *self.inputs[2];
    kernels::causal_conv1d_backward(X.requires_grad ? dense_grad(X).data() : nullptr,
                                    W.requires_grad ? dense_grad(W).data() : nullptr,
                                    Bb.requires_grad ? dense_grad(Bb).data() : nullptr, self.grad.data(), xv.data(),
                                    wv.data(), B, T, Cin, Cout, K, dilation);
  });
}

// Saves x, w, b, the mask, and the per-row mean and 1/std: the ReLU's gate is recomputed from them.
Var layer_norm_relu(const Var& x, const Var& w, const Var& b, float eps, const Tensor& mask, const Var& residual) {
  const std::int64_t C = x->shape().last(), N = x->value.numel() / std::max<std::int64_t>(1, C);
  L2_CHECK(w->shape() == Shape{C} && b->shape() == Shape{C},
           "layer_norm_relu: weight " << w->shape() << " and bias " << b->shape() << " must be [" << C << "] for input "
                                      << x->shape());
  L2_CHECK(!mask.defined() || mask.numel() == N,
           "layer_norm_relu: mask " << mask.shape() << " must have one value per row of " << x->shape());
  L2_CHECK(!residual || residual->shape() == x->shape(),
           "layer_norm_relu: residual " << residual->shape() << " must have the input's shape " << x->shape());
  Tensor y = Tensor::empty(x->shape()), mean = Tensor::empty(Shape{N}), rstd = Tensor::empty(Shape{N});
  const float* m = mask.defined() ? mask.data() : nullptr;
  kernels::layer_norm_relu_forward(y.data(), mean.data(), rstd.data(), x->value.data(), w->value.data(), b->value.data(),
                                   m, residual ? residual->value.data() : nullptr, N, C, eps);
  Tensor xv = x->value, wv = w->value, bv = b->value;
  std::vector<Var> inputs = {x, w, b};
  if (residual) inputs.push_back(residual);
  return make_op("layer_norm_relu", y, std::move(inputs), [xv, wv, bv, mean, rstd, mask, N, C](Node& self) {
    Node& X = *self.inputs[0];
    Node& W = *self.inputs[1];
    Node& B = *self.inputs[2];
    kernels::layer_norm_relu_backward(X.requires_grad ? dense_grad(X).data() : nullptr,
                                      W.requires_grad ? dense_grad(W).data() : nullptr,
                                      B.requires_grad ? dense_grad(B).data() : nullptr, self.grad.data(), xv.data(),
                                      wv.data(), bv.data(), mean.data(), rstd.data(),
                                      mask.defined() ? mask.data() : nullptr, N, C);
    if (self.inputs.size() > 3 && self.inputs[3]->requires_grad) {
      Node& R = *self.inputs[3];
      kernels::axpy(1.0f, self.grad.data(), dense_grad(R).data(), self.grad.numel());
    }
  });
}

// Saves h, the table and the per-row gradient factors.
Var sampled_bce_loss(const Var& h, const Var& table, const IndexTensor& pos, const IndexTensor& neg, const Tensor& weight,
                     double denom) {
  const std::int64_t C = h->shape().last(), N = h->value.numel() / std::max<std::int64_t>(1, C);
  L2_CHECK(table->shape().ndim() == 2 && table->shape()[1] == C,
           "sampled_bce_loss: the table must be [V, " << C << "], got " << table->shape());
  L2_CHECK(pos.numel() == N && neg.numel() == N && weight.numel() == N,
           "sampled_bce_loss: " << N << " rows of h but ids " << pos.shape() << ", " << neg.shape() << " and weights "
                                << weight.shape());
  L2_CHECK(denom > 0.0, "sampled_bce_loss: the normaliser must be positive, got " << denom);
  const std::int64_t V = table->shape()[0];
  check_ids("sampled_bce_loss (positives)", pos, V);
  check_ids("sampled_bce_loss (negatives)", neg, V);
  Tensor gpos = Tensor::empty(Shape{N}), gneg = Tensor::empty(Shape{N});
  const double loss = kernels::sampled_bce_forward(gpos.data(), gneg.data(), h->value.data(), table->value.data(),
                                                   pos.data(), neg.data(), weight.data(), N, C, denom);
  Tensor hv = h->value, tv = table->value;
  return make_op("sampled_bce_loss", Tensor::scalar(float(loss)), {h, table},
                 [hv, tv, pos, neg, gpos, gneg, N, C, V](Node& self) {
                   const float dy = self.grad[0];
                   Node& H = *self.inputs[0];
                   Node& E = *self.inputs[1];
                   if (H.requires_grad)
                     kernels::sampled_bce_backward_h(dense_grad(H).data(), gpos.data(), gneg.data(), dy, tv.data(),
                                                     pos.data(), neg.data(), N, C);
                   if (!E.requires_grad) return;
                   // Rows dy*g*h_n, scattered into the table by the ids [p_0, q_0, p_1, q_1, ...];
                   // rows without a target carry a zero factor and id 0, the padding row, which is skipped.
                   Tensor rows = Tensor::empty(Shape{2 * N, C});
                   kernels::sampled_bce_table_rows(rows.data(), gpos.data(), gneg.data(), dy, hv.data(), N, C);
                   IndexTensor ids = IndexTensor::empty(Shape{2 * N});
                   for (std::int64_t n = 0; n < N; ++n) {
                     const bool live = gpos[n] != 0.0f || gneg[n] != 0.0f;
                     ids[2 * n] = live ? pos[n] : 0;
                     ids[2 * n + 1] = live ? neg[n] : 0;
                   }
                   if (!E.grad.defined()) E.grad = Tensor::zeros(E.shape());
                   std::vector<std::int32_t> touched;
                   kernels::scatter_add_rows(E.grad.data(), rows.data(), ids.data(), 2 * N, C, V, 0, &touched);
                   mark_grad_rows(E, touched);
                 });
}

}  // namespace l2
