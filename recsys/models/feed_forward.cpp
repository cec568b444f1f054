#include "recsys/models/feed_forward.h"

namespace l2::recsys {

PointwiseFeedForward::PointwiseFeedForward(std::int64_t dim, std::int64_t inner, float dropout,
                                           std::shared_ptr<Generator> rng)
    : w1_(dim, inner), w2_(inner, dim), drop1_(dropout, rng), drop2_(dropout, rng) {
  register_module("w1", w1_);
  register_module("w2", w2_);
  register_module("dropout1", drop1_);
  register_module("dropout2", drop2_);
}

Var PointwiseFeedForward::forward(const Var& x) const {
  Var h = drop1_.forward(relu(w1_.forward(x)));
  return add(x, drop2_.forward(w2_.forward(h)));
}

}  // namespace l2::recsys
