// Fused neural-network ops with hand-written backward passes (see ops.h): each saves only what
// its backward reads, as noted beside it.
#include "autograd/ops.h"
#include "tensor/blas.h"
#include "tensor/functional.h"
#include "tensor/kernels/attention.h"
#include "tensor/kernels/conv1d.h"
#include "tensor/kernels/dropout.h"
#include "tensor/kernels/elementwise.h"
#include "tensor/kernels/gru.h"
#include "tensor/kernels/layer_norm.h"
#include "tensor/kernels/reduce.h"
#include "tensor/kernels/softmax.h"

namespace l2 {

// Saves y.
Var softmax(const Var& x) {
  Tensor y = l2::softmax(x->value);
  return make_op("softmax", y, {x}, [y](Node& self) {
    Node& X = *self.inputs[0];
    if (X.requires_grad)
      kernels::softmax_backward(dense_grad(X).data(), self.grad.data(), y.data(), y.shape().rows(), y.shape().last());
  });
}

// Saves y.
Var log_softmax(const Var& x) {
  Tensor y = l2::log_softmax(x->value);
  return make_op("log_softmax", y, {x}, [y](Node& self) {
    Node& X = *self.inputs[0];
    if (X.requires_grad)
      kernels::log_softmax_backward(dense_grad(X).data(), self.grad.data(), y.data(), y.shape().rows(),
                                    y.shape().last());
  });
}

// Saves x, w, and the per-row mean and 1/std.
Var layer_norm(const Var& x, const Var& w, const Var& b, float eps) {
  const std::int64_t C = x->shape().last(), N = x->value.numel() / std::max<std::int64_t>(1, C);
  L2_CHECK(w->shape() == Shape{C} && b->shape() == Shape{C},
           "layer_norm: weight " << w->shape() << " and bias " << b->shape() << " must be [" << C << "] for input "
                                 << x->shape());
  Tensor y = Tensor::empty(x->shape()), mean = Tensor::empty(Shape{N}), rstd = Tensor::empty(Shape{N});
  kernels::layer_norm_forward(y.data(), mean.data(), rstd.data(), x->value.data(), w->value.data(), b->value.data(), N,
                              C, eps);
  Tensor xv = x->value, wv = w->value;
  return make_op("layer_norm", y, {x, w, b}, [xv, wv, mean, rstd, N, C](Node& self) {
    Node& X = *self.inputs[0];
    Node& W = *self.inputs[1];
    Node& B = *self.inputs[2];
    kernels::layer_norm_backward(X.requires_grad ? dense_grad(X).data() : nullptr,
                                 W.requires_grad ? dense_grad(W).data() : nullptr,
                                 B.requires_grad ? dense_grad(B).data() : nullptr, self.grad.data(), xv.data(),
                                 wv.data(), mean.data(), rstd.data(), N, C);
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

// Saves nothing: the backward regenerates the mask from (seed, stream).
Var dropout(const Var& x, float p, std::uint64_t seed, std::uint64_t stream) {
  L2_CHECK(p >= 0.0f && p < 1.0f, "dropout: rate " << p << " outside [0, 1)");
  if (p == 0.0f) return x;
  Tensor y = Tensor::empty(x->shape());
  kernels::dropout_forward(y.data(), x->value.data(), y.numel(), p, seed, stream);
  return make_op("dropout", y, {x}, [p, seed, stream](Node& self) {
    Node& X = *self.inputs[0];
    if (X.requires_grad)
      kernels::dropout_backward(dense_grad(X).data(), self.grad.data(), self.grad.numel(), p, seed, stream);
  });
}

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

}  // namespace l2
