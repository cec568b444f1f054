#include "nn/attention.h"

#include <cmath>

#include "tensor/kernels/attention.h"

namespace l2::nn {

CausalSelfAttention::CausalSelfAttention(const Options& o, std::shared_ptr<Generator> rng)
    : o_(o), q_(o.dim, o.dim), k_(o.dim, o.dim), v_(o.dim, o.dim), drop_(o.dropout, std::move(rng)) {
  L2_CHECK(o.heads >= 1 && o.dim % o.heads == 0,
           "CausalSelfAttention: dim " << o.dim << " is not divisible by " << o.heads << " heads");
  register_module("q", q_);
  register_module("k", k_);
  register_module("v", v_);
  if (o.output_projection) {
    out_ = std::make_unique<Linear>(o.dim, o.dim);
    register_module("out", *out_);
  }
  register_module("dropout", drop_);
}

namespace {
// [B, T, H*D] -> [B*H, T, D] (heads side by side in the channels become slices).
Var split_heads(const Var& x, std::int64_t B, std::int64_t T, std::int64_t H, std::int64_t D) {
  if (H == 1) return x;
  return reshape(permute(reshape(x, Shape{B, T, H, D}), {0, 2, 1, 3}), Shape{B * H, T, D});
}
Var merge_heads(const Var& x, std::int64_t B, std::int64_t T, std::int64_t H, std::int64_t D) {
  if (H == 1) return x;
  return reshape(permute(reshape(x, Shape{B, H, T, D}), {0, 2, 1, 3}), Shape{B, T, H * D});
}
}  // namespace

Var CausalSelfAttention::forward(const Var& q_in, const Var& kv_in, const IndexTensor& key_padding) const {
  const Shape& s = q_in->shape();
  L2_CHECK(s.ndim() == 3 && s[2] == o_.dim && kv_in->shape() == s,
           "CausalSelfAttention: inputs must both be [B, T, " << o_.dim << "], got " << s << " and " << kv_in->shape());
  const std::int64_t B = s[0], T = s[1], H = o_.heads, D = o_.dim / H;
  Var Q = split_heads(q_.forward(q_in), B, T, H, D);
  Var K = split_heads(k_.forward(kv_in), B, T, H, D);
  Var V = split_heads(v_.forward(kv_in), B, T, H, D);
  Var A = causal_attention(Q, K, V, key_padding, H, 1.0f / std::sqrt(float(D)), drop_.active_rate(), drop_.seed(),
                           drop_.next_stream());
  A = merge_heads(A, B, T, H, D);
  return out_ ? out_->forward(A) : A;
}

Var CausalSelfAttention::forward_last(const Var& q_last, const Var& kv_in, const IndexTensor& key_padding) const {
  const Shape& s = kv_in->shape();
  const std::int64_t B = s[0], T = s[1], H = o_.heads, D = o_.dim / H;
  L2_CHECK(s.ndim() == 3 && s[2] == o_.dim && q_last->shape() == (Shape{B, 1, o_.dim}),
           "CausalSelfAttention: last query must be [" << B << ", 1, " << o_.dim << "] for keys " << s << ", got "
                                                      << q_last->shape());
  L2_CHECK(key_padding.shape() == (Shape{B, T}),
           "CausalSelfAttention: key padding mask must be [" << B << ", " << T << "], got " << key_padding.shape());
  Var Q = split_heads(q_.forward(q_last), B, 1, H, D);
  Var K = split_heads(k_.forward(kv_in), B, T, H, D);
  Var V = split_heads(v_.forward(kv_in), B, T, H, D);
  Var scores = reshape(scale(matmul(Q, K, false, true), 1.0f / std::sqrt(float(D))), Shape{B, H, 1, T});
  scores = masked_fill(scores, key_padding.reshape(Shape{B, 1, 1, T}), kernels::kAttentionMask);  // no future key
  Var probs = reshape(drop_.forward(softmax(scores)), Shape{B * H, 1, T});
  Var A = merge_heads(matmul(probs, V), B, 1, H, D);
  return out_ ? out_->forward(A) : A;
}

}  // namespace l2::nn
