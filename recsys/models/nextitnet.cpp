#include "recsys/models/nextitnet.h"

namespace l2::recsys {

NextItNet::NextItNet(const ModelConfig& c) : SequentialRecommender(c) {
  L2_CHECK(!c.dilations.empty(), "NextItNet: no dilations given");
  for (size_t k = 0; k < c.dilations.size(); ++k) {
    blocks_.push_back(std::make_unique<nn::NextItNetBlock>(c.dim, c.kernel, c.dilations[k]));
    register_module("blocks." + std::to_string(k), *blocks_.back());
  }
}

Var NextItNet::hidden(const IndexTensor& items, const IndexTensor& /*positions: causal convolutions order by themselves*/) const {
  L2_CHECK(items.ndim() == 2, "NextItNet: items must be [B, T], got " << items.shape());
  const Tensor mask = real_mask(items);
  Var x = items_.forward(items);  // padding rows are the zero row
  for (const auto& block : blocks_) x = block->forward(x, mask);
  return mul(x, constant(mask));
}

}  // namespace l2::recsys
