#include "recsys/models/gru4rec.h"

namespace l2::recsys {

GRU4Rec::GRU4Rec(const ModelConfig& c) : SequentialRecommender(c), gru_(c.dim, c.hidden), dropout_(c.dropout, rng_) {
  register_module("gru", gru_);
  register_module("dropout", dropout_);
  if (c.hidden != c.dim) {
    projection_ = std::make_unique<nn::Linear>(c.hidden, c.dim);
    register_module("projection", *projection_);
  }
}

Var GRU4Rec::hidden(const IndexTensor& items, const IndexTensor& /*positions: a GRU orders by itself*/) const {
  L2_CHECK(items.ndim() == 2, "GRU4Rec: items must be [B, T], got " << items.shape());
  const Tensor mask = real_mask(items);
  Var h = dropout_.forward(gru_.forward(items_.forward(items), mask));
  if (projection_) h = projection_->forward(h);
  return mul(h, constant(mask));
}

}  // namespace l2::recsys
