// The point-wise feed-forward of the SASRec block, with its residual as in the original TF code
// (docs/model-specs.md#sasrec): y = x + Dropout(W2 Dropout(ReLU(W1 x + b1)) + b2), W1, W2 both dim x dim
// (1x1 convolutions there, Linear layers here: the same maps).
#pragma once

#include <memory>

#include "nn/layers.h"

namespace l2::recsys {

class PointwiseFeedForward : public nn::Module {
 public:
  PointwiseFeedForward(std::int64_t dim, std::int64_t inner, float dropout, std::shared_ptr<Generator> rng);
  Var forward(const Var& x) const;

 private:
  nn::Linear w1_, w2_;
  nn::Dropout drop1_, drop2_;
};

}  // namespace l2::recsys
