#include "nn/sasrec_block.h"

namespace l2::nn {

SASRecBlock::SASRecBlock(std::int64_t dim, std::int64_t heads, float dropout, std::shared_ptr<Generator> rng)
    : ln_attn_(dim),
      ln_ffn_(dim),
      attn_(CausalSelfAttention::Options{dim, heads, dropout, false}, rng),
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

}  // namespace l2::nn
