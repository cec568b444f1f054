#include "recsys/models/gru4rec.h"

#include <algorithm>
#include <cmath>

#include "nn/init.h"

namespace l2::recsys {

GRU4Rec::GRU4Rec(const ModelConfig& c)
    : SequentialRecommender(c),
      gru_(c.dim, c.hidden, c.gru_init == GruInit::pytorch ? nn::GRU::InitMode::whole : nn::GRU::InitMode::per_gate),
      dropout_(c.dropout, rng_) {
  register_module("gru", gru_);
  register_module("dropout", dropout_);
  if (c.hidden != c.dim) {
    projection_ = std::make_unique<nn::Linear>(c.hidden, c.dim);
    register_module("projection", *projection_);
  }
}

void GRU4Rec::init_parameters(const nn::Init& init, const std::string& prefix) {
  SequentialRecommender::init_parameters(init, prefix);
  if (config_.gru_init == GruInit::pytorch && projection_) {
    const float bound = float(1.0 / std::sqrt(double(config_.hidden)));  // nn.Linear: 1/sqrt(fan_in)
    nn::init::uniform(projection_->bias()->value, init.seed, nn::init::name_stream(prefix + "projection.bias"),
                      -bound, bound);
  }
}

Var GRU4Rec::hidden(const IndexTensor& items, const IndexTensor& /*positions: a GRU orders by itself*/) const {
  L2_CHECK(items.ndim() == 2, "GRU4Rec: items must be [B, T], got " << items.shape());
  const Tensor mask = real_mask(items);
  const bool on_input = config_.dropout_at == GruDropout::input;
  Var x = items_.forward(items);  // padding rows are the zero row, dropped or not
  if (on_input) x = dropout_.forward(x);
  Var h = gru_.forward(x, mask);
  if (!on_input) h = dropout_.forward(h);
  if (projection_) h = projection_->forward(h);
  return mul(h, constant(mask));
}

Tensor GRU4Rec::last_hidden(const IndexTensor& items, const IndexTensor& positions) const {
  if (training()) return SequentialRecommender::last_hidden(items, positions);
  L2_CHECK(items.ndim() == 2, "GRU4Rec: items must be [B, T], got " << items.shape());
  const std::int64_t B = items.dim(0), T = items.dim(1), H = gru_.hidden();
  const Tensor mask = real_mask(items);
  const Tensor states = gru_.forward(items_.forward(items), mask)->value;
  Tensor last = Tensor::empty(Shape{B, H}), mask_last = Tensor::empty(Shape{B, 1});
  for (std::int64_t b = 0; b < B; ++b) {
    std::copy_n(states.data() + (b * T + T - 1) * H, H, last.data() + b * H);
    mask_last[b] = mask[b * T + T - 1];
  }
  // Evaluation mode: no dropout, wherever it applies.
  Var h = constant(last);
  if (projection_) h = projection_->forward(h);
  return mul(h, constant(mask_last))->value;
}

}  // namespace l2::recsys
