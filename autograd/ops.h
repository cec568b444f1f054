// Every differentiable op, one line each with its derivative, so the whole op set reads at once
// (the idea of PyTorch's derivatives.yaml). Each op is one function in ops_*.cpp: shape checks,
// the forward kernel, and a backward closure that keeps only what the backward reads. Ops call the
// kernels of tensor/kernels/ (and tensor/gemm.h) directly, never through tensor/functional.h,
// whose plain-tensor maths is for code off the tape (the reason is there). Backward
// closures accumulate (+=) into the inputs' gradients and skip inputs that need none. Each op has
// a finite-difference gradient check in tests/autograd/test_ops_*.cpp.
//
// Broadcasting (binary ops and masks): b may have a's shape, a's trailing dims ([C] over [N,C],
// [T,C] over [B,T,C]), a's leading dims optionally followed by 1s ([B,T,1] or [B,T] over [B,T,C]),
// or one element. "Σ" below sums a gradient back over the broadcast copies.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <vector>

#include "autograd/var.h"

namespace l2 {

// ---- element-wise: ops_elementwise.cpp ---------------------------------------------------------
Var add(const Var& a, const Var& b);        // y = a + b         da += dy            db += Σ dy
Var sub(const Var& a, const Var& b);        // y = a - b         da += dy            db += Σ -dy
Var mul(const Var& a, const Var& b);        // y = a * b         da += dy*b          db += Σ dy*a
Var div(const Var& a, const Var& b);        // y = a / b         da += dy/b          db += Σ -dy*a/b^2
Var neg(const Var& x);                      // y = -x            dx += -dy
Var scale(const Var& x, float c);           // y = c*x           dx += c*dy
Var add_scalar(const Var& x, float c);      // y = x + c         dx += dy
Var exp(const Var& x);                      // y = e^x           dx += dy*y
Var log(const Var& x);                      // y = ln x          dx += dy/x
Var sqrt(const Var& x);                     // y = sqrt x        dx += dy/(2y)
Var pow(const Var& x, float p);             // y = x^p           dx += dy*p*x^(p-1)
Var relu(const Var& x);                     // y = max(x, 0)     dx += dy*[y > 0]
Var sigmoid(const Var& x);                  // y = 1/(1+e^-x)    dx += dy*y*(1-y)
Var tanh(const Var& x);                     // y = tanh x        dx += dy*(1-y^2)
// y = mask ? value : x, mask (0/1) broadcast like b above or with size-1 dims anywhere; dx += dy*[!mask]
Var masked_fill(const Var& x, const IndexTensor& mask, float value);

// ---- reductions: ops_reduce.cpp ----------------------------------------------------------------
Var sum(const Var& x);                      // y = Σ x           dx += dy
Var sum(const Var& x, int axis);            // y = Σ_axis x      dx += dy (repeated along axis)
Var mean(const Var& x);                     // y = Σ x / n       dx += dy/n
Var mean(const Var& x, int axis);           // y = Σ_axis x / n  dx += dy/n
// y = Σ m*x / max(Σ m, 1) for a 0/1 mask m of x's shape (the loss over non-padding positions);
// dx += dy*m / max(Σ m, 1)
Var masked_mean(const Var& x, const Tensor& mask);

// ---- products and shapes: ops_matmul.cpp, ops_shape.cpp -----------------------------------------
// y = op(a) op(b) (op = transpose of the last two axes when the flag is set; shapes as matmul_dims, tensor/gemm.h)
//   da += dy op(b)^T (transposed back when trans_a)   db += op(a)^T dy (transposed back when trans_b)
Var matmul(const Var& a, const Var& b, bool trans_a = false, bool trans_b = false);
// y = x W + b, W: [in, out] shared by every row of x [..., in], b: [out] or null: matmul and add in
// one op (the bias starts the GEMM's sum).   dx += dy W^T   dW += x^T dy   db += Σ_rows dy
Var linear(const Var& x, const Var& w, const Var& b);
Var reshape(const Var& x, const Shape& shape);                 // a view       dx += reshape(dy)
Var transpose(const Var& x);                                   // last 2 axes  dx += transpose(dy)
Var permute(const Var& x, std::initializer_list<int> perm);    // axes moved   dx += permute(dy, perm^-1)
Var slice(const Var& x, int axis, std::int64_t begin, std::int64_t end);  // dx[.., begin:end, ..] += dy
Var concat(const std::vector<Var>& xs, int axis);              // dx_k += dy[part k]
// y[n] = table[ids[n]] (embedding lookup); dtable[ids[n]] += dy[n], row-sparse
// (Note [Row-sparse gradients]); rows with id == skip_id (the padding row) receive nothing.
Var gather_rows(const Var& table, const IndexTensor& ids, std::int32_t skip_id = -1);
// y[..., k] = x[..., idx[k]] along the last axis; dx[..., idx[k]] += dy[..., k]
Var index_select(const Var& x, const IndexTensor& idx);

// ---- neural-network ops with hand-written backward: ops_nn.cpp ---------------------------------
Var softmax(const Var& x);                  // last axis         dx += y*(dy - Σ_c dy*y)
Var log_softmax(const Var& x);              // last axis         dx += dy - e^y * Σ_c dy
// Layer norm over the last axis (tensor/kernels/layer_norm.h for the backward formulas).
Var layer_norm(const Var& x, const Var& w, const Var& b, float eps);
// y = x*m/(1-p), m_i = [u(seed, stream, i) >= p] from the counter-based RNG; dx += dy*m/(1-p).
// p = 0 returns x itself.
Var dropout(const Var& x, float p, std::uint64_t seed, std::uint64_t stream);

// ---- losses: ops_loss.cpp -----------------------------------------------------------------------
// Per element: y = softplus(z) - t*z = -[t log σ(z) + (1-t) log(1-σ(z))]; dz += dy*(σ(z) - t)
Var bce_with_logits(const Var& logits, const Tensor& targets);
// Cross-entropy over a set of candidate logits z: [N, K], target index t: [N] in [0, K):
// y[n] = -log softmax(z_n)[t_n];  dz_n += dy_n*(softmax(z_n) - onehot(t_n))
Var cross_entropy(const Var& logits, const IndexTensor& target);

// ---- fused ops of the models: ops_fused.cpp -----------------------------------------------------
// Each runs a model's hot path as one op with a hand-written backward. Those that replace a
// composition of the ops above keep it beside them as the `_composed` reference their tests
// compare against (docs/style.md#compose-first).
//
// SASRec: fused causal attention (tensor/kernels/attention.h) over N = B*heads slices: q, k, v:
// [N, T, D], key_padding: [B, T] (1 = padding key; undefined = none).
// O = dropout(softmax(masked(scale Q K^T))) V; the derivatives of that composition:
// dV += Pd^T dO, dS = P (dP - Σ_j dP P) scale, dQ += dS K, dK += dS^T Q.
Var causal_attention(const Var& q, const Var& k, const Var& v, const IndexTensor& key_padding, std::int64_t heads,
                     float scale, float dropout, std::uint64_t seed, std::uint64_t stream);
// The same from matmul, scale, masked_fill, softmax, dropout and matmul (the same dropout mask).
Var causal_attention_composed(const Var& q, const Var& k, const Var& v, const IndexTensor& key_padding,
                              std::int64_t heads, float scale, float dropout, std::uint64_t seed, std::uint64_t stream);
// GRU4Rec: fused GRU layer (tensor/kernels/gru.h): x: [B, T, I], w_ih: [I, 3H], b_ih: [3H],
// w_hh: [H, 3H], b_hh: [3H], mask: [B, T] (1 = real step; undefined = all real) -> the states
// [B, T, H]. The input projections gi = x W_ih + b_ih exist only inside the forward and inside the
// backward (dx = dgi W_ih^T, dW_ih = x^T dgi, db_ih = Σ dgi); backpropagation through time in the kernel.
Var gru(const Var& x, const Var& w_ih, const Var& b_ih, const Var& w_hh, const Var& b_hh, const Tensor& mask);
// The same step by step from matmul, add, slice, sigmoid, tanh, mul and concat.
Var gru_composed(const Var& x, const Var& w_ih, const Var& b_ih, const Var& w_hh, const Var& b_hh, const Tensor& mask);
// NextItNet: dilated causal 1-D convolution over time (tensor/kernels/conv1d.h), x: [B, T, Cin],
// w: [K, Cin, Cout], b: [Cout]: y[t] = b + Σ_j x[t - (K-1-j)*d] w[j], zero before the start.
//   dx[t - (K-1-j)*d] += dy[t] w[j]^T   dw[j] += Σ_t x[t - (K-1-j)*d]^T dy[t]   db += Σ_t dy[t]
Var causal_conv1d(const Var& x, const Var& w, const Var& b, std::int64_t dilation);
// NextItNet: y = res + m * relu(layer_norm(x, w, b)): layer norm, ReLU, a 0/1 row mask m (numel =
// rows of x; undefined = all rows) and a residual (null = none), fused (tensor/kernels/layer_norm.h);
// equal to the composition layer_norm, relu, mul, add (recsys/models/nextitnet_block.h keeps it as
// the block's forward_composed).  dres += dy;  layer_norm's dx, dw, db for g = dy*m*[y' > 0]
Var layer_norm_relu(const Var& x, const Var& w, const Var& b, float eps, const Tensor& mask, const Var& residual = nullptr);
// All three models' training loss: the sampled next-item loss of Eq. (2), fused
// (tensor/kernels/loss.h): h: [N, C] hidden states, table: [V, C] the item table, pos/neg: [N]
// item ids, weight: [N] (0 where a row has no target):
//   y = (1/denom) Σ_n w_n [softplus(-h_n.E[p_n]) + softplus(h_n.E[q_n])]
//   dh_n += dy (gp_n E[p_n] + gn_n E[q_n]);  dE[p_n] += dy gp_n h_n;  dE[q_n] += dy gn_n h_n  (row-sparse)
// with gp_n = w_n (σ(z+) - 1)/denom, gn_n = w_n σ(z-)/denom. Equal to the composition of gather_rows,
// mul, sum, bce_with_logits and a weighted sum (recsys/train/loss.cpp keeps that as the reference).
Var sampled_bce_loss(const Var& h, const Var& table, const IndexTensor& pos, const IndexTensor& neg, const Tensor& weight,
                     double denom);

}  // namespace l2
