#include "recsys/models/sasrec.h"

#include <cmath>

namespace l2::recsys {

SASRec::SASRec(const ModelConfig& c)
    : SequentialRecommender(c),
      positions_(c.maxlen, c.dim),
      emb_dropout_(c.dropout, rng_),
      final_ln_(c.dim, c.layer_norm_eps) {
  register_module("positions", positions_);
  register_module("emb_dropout", emb_dropout_);
  for (std::int64_t b = 0; b < c.blocks; ++b) {
    blocks_.push_back(std::make_unique<SASRecBlock>(c.dim, c.heads, c.dropout, rng_));
    register_module("blocks." + std::to_string(b), *blocks_.back());
  }
  register_module("final_ln", final_ln_);
}

Var SASRec::hidden(const IndexTensor& items, const IndexTensor& positions) const {
  L2_CHECK(items.ndim() == 2 && positions.shape() == items.shape(),
           "SASRec: items and positions must both be [B, T], got " << items.shape() << " and " << positions.shape());
  const Tensor mask = real_mask(items);
  const IndexTensor pad = padding_flags(items);
  Var x = add(scale(items_.forward(items), std::sqrt(float(config_.dim))), positions_.forward(positions));
  x = mul(emb_dropout_.forward(x), constant(mask));
  for (const auto& block : blocks_) x = block->forward(x, pad, mask);
  return final_ln_.forward(x);
}

Tensor SASRec::last_hidden(const IndexTensor& items, const IndexTensor& positions) const {
  if (training() || blocks_.empty()) return SequentialRecommender::last_hidden(items, positions);
  L2_CHECK(items.ndim() == 2 && positions.shape() == items.shape(),
           "SASRec: items and positions must both be [B, T], got " << items.shape() << " and " << positions.shape());
  const std::int64_t B = items.dim(0), T = items.dim(1);
  const Tensor mask = real_mask(items);
  const IndexTensor pad = padding_flags(items);
  Var x = add(scale(items_.forward(items), std::sqrt(float(config_.dim))), positions_.forward(positions));
  x = mul(emb_dropout_.forward(x), constant(mask));
  for (size_t k = 0; k + 1 < blocks_.size(); ++k) x = blocks_[k]->forward(x, pad, mask);
  Tensor mask_last = Tensor::empty(Shape{B, 1});
  for (std::int64_t b = 0; b < B; ++b) mask_last[b] = mask[b * T + T - 1];
  return final_ln_.forward(blocks_.back()->forward_last(x, pad, mask_last))->value.reshape(Shape{B, config_.dim});
}

}  // namespace l2::recsys
