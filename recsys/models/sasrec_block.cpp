#include "recsys/models/sasrec_block.h"

namespace l2::recsys {

SASRecBlock::SASRecBlock(std::int64_t dim, std::int64_t heads, float dropout, std::shared_ptr<Generator> rng)
    : ln_attn_(dim),
      ln_ffn_(dim),
      attn_(nn::CausalSelfAttention::Options{dim, heads, dropout, false}, rng),
      ffn_(dim, dim, dropout, rng) {
  register_module("ln_attn", ln_attn_);
  register_module("attn", attn_);
  register_module("ln_ffn", ln_ffn_);
  register_module("ffn", ffn_);
}

Var SASRecBlock::forward(const Var& x, const IndexTensor& key_padding, const Tensor& mask) const {
  Var q = ln_attn_.forward(x);
  Var h = add(q, attn_.forward(q, x, key_padding));
  h = ffn_.forward(ln_ffn_.forward(h));
  return mul(h, constant(mask));
}

Var SASRecBlock::forward_last(const Var& x, const IndexTensor& key_padding, const Tensor& mask_last) const {
  const std::int64_t T = x->shape()[1];
  Var q = ln_attn_.forward(slice(x, 1, T - 1, T));  // layer norm is per row: the last row's is the same
  Var h = add(q, attn_.forward_last(q, x, key_padding));
  h = ffn_.forward(ln_ffn_.forward(h));
  return mul(h, constant(mask_last));
}

}  // namespace l2::recsys
