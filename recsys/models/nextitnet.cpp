#include "recsys/models/nextitnet.h"

#include <algorithm>

namespace l2::recsys {

NextItNet::NextItNet(const ModelConfig& c) : SequentialRecommender(c) {
  L2_CHECK(!c.dilations.empty(), "NextItNet: no dilations given");
  for (size_t k = 0; k < c.dilations.size(); ++k) {
    blocks_.push_back(std::make_unique<nn::NextItNetBlock>(c.dim, c.kernel, c.dilations[k]));
    register_module("blocks." + std::to_string(k), *blocks_.back());
  }
}

// Note [NextItNet's flat layout]
// In a left-padded sequence the padding steps are zero at every layer: the padding id embeds as
// the zero row, and each block adds to its input ReLU outputs that are zeroed at padding steps.
// So if every sequence gets P more padding steps in front, P at least the longest look-back of
// any convolution, the whole batch can be laid end to end as one sequence of B*(P+T) steps: a real
// step's convolution never reaches past its own padding into the previous sequence, and the
// padding steps whose convolutions do are zeroed by the mask. Each convolution tap is then one
// GEMM over the whole batch with no copies in or out of a padded layout (tensor/kernels/conv1d.cpp),
// at the price of P more rows per sequence (8 steps by default: 4% at the paper's length 200).
// The outputs equal the per-sequence convolutions' (tests/recsys/test_models.cpp).
Var NextItNet::hidden(const IndexTensor& items, const IndexTensor& /*positions: causal convolutions order by themselves*/) const {
  L2_CHECK(items.ndim() == 2, "NextItNet: items must be [B, T], got " << items.shape());
  const std::int64_t B = items.dim(0), T = items.dim(1), C = config_.dim;
  std::int64_t P = 0;
  for (const auto& block : blocks_) P = std::max(P, block->max_shift());
  const std::int64_t L = P + T;
  IndexTensor flat = IndexTensor::zeros(Shape{B, L});
  for (std::int64_t b = 0; b < B; ++b) std::copy_n(items.data() + b * T, T, flat.data() + b * L + P);
  const Tensor mask = real_mask(flat).reshape(Shape{1, B * L});
  Var x = reshape(items_.forward(flat), Shape{1, B * L, C});  // padding steps are the zero row
  for (const auto& block : blocks_) x = block->forward(x, mask);
  return slice(reshape(x, Shape{B, L, C}), 1, P, L);  // padding steps are zero already
}

}  // namespace l2::recsys
