// One self-attention block of SASRec exactly as the original TF code stacks it (Kang & McAuley
// 2018; docs/model-specs.md#sasrec):
//   q = LN_attn(x);  x = q + Attention(queries q, keys/values x)      (residual from the normalised query)
//   f = LN_ffn(x);   x = f + Dropout(W2 Dropout(ReLU(W1 f)))           (the feed-forward's residual, also normalised)
//   x = x * mask                                                       (padding rows back to zero)
// Only the query is normalised before attention; the attention has no output projection.
#pragma once

#include <memory>

#include "nn/attention.h"
#include "recsys/models/feed_forward.h"

namespace l2::recsys {

class SASRecBlock : public nn::Module {
 public:
  SASRecBlock(std::int64_t dim, std::int64_t heads, float dropout, std::shared_ptr<Generator> rng);
  // x: [B, T, dim]; key_padding: [B, T], 1 at padding; mask: [B, T], 1 at real positions.
  Var forward(const Var& x, const IndexTensor& key_padding, const Tensor& mask) const;
  // The block's output at the last position only, [B, 1, dim]; mask_last: [B, 1] (evaluation's shortcut).
  Var forward_last(const Var& x, const IndexTensor& key_padding, const Tensor& mask_last) const;

 private:
  nn::LayerNorm ln_attn_, ln_ffn_;
  nn::CausalSelfAttention attn_;
  PointwiseFeedForward ffn_;
};

}  // namespace l2::recsys
