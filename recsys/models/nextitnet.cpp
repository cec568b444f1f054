#include "recsys/models/nextitnet.h"

#include <algorithm>
#include <type_traits>

namespace l2::recsys {

NextItNet::NextItNet(const ModelConfig& c) : SequentialRecommender(c), dropout_(c.dropout, rng_) {
  L2_CHECK(!c.dilations.empty(), "NextItNet: no dilations given");
  for (size_t k = 0; k < c.dilations.size(); ++k) {
    blocks_.push_back(std::make_unique<NextItNetBlock>(c.dim, c.kernel, c.dilations[k]));
    register_module("blocks." + std::to_string(k), *blocks_.back());
  }
  register_module("dropout", dropout_);
}

Var NextItNet::hidden(const IndexTensor& items, const IndexTensor& /*positions: causal convolutions order by themselves*/) const {
  L2_CHECK(items.ndim() == 2, "NextItNet: items must be [B, T], got " << items.shape());
  const Tensor mask = real_mask(items);
  Var x = dropout_.forward(items_.forward(items));  // padding rows are the zero row, dropped or not
  // Each block adds to its input ReLU outputs zeroed at padding steps (the fused layer_norm_relu),
  // so padding rows stay exactly zero through the stack: no final mask product is needed.
  for (const auto& block : blocks_) x = block->forward(x, mask);
  return dropout_.forward(x);
}

// Note [NextItNet's last-position window]
// Block l's output at step t depends on its input at steps t - 3(K-1)d_l .. t only (its two
// convolutions look back (K-1)d_l and (K-1)2d_l steps). So the state at the last step needs the
// last block's input only at its last 1 + 3(K-1)d_L steps, the block before at 3(K-1)d_{L-1} more
// steps, and so on back to the embeddings. Evaluation runs each block on that suffix of the
// sequence and keeps only the steps whose whole look-back lies inside it: those are computed from
// the same rows with the same arithmetic as on the full sequence, so the result is the same, for
// 75% of the work at length 50 and 22% at length 200 (default dilations and kernel).
Tensor NextItNet::last_hidden(const IndexTensor& items, const IndexTensor& positions) const {
  // In training mode with dropout the draws depend on the whole sequence's layout: the default.
  if (dropout_.active_rate() > 0.0f) return SequentialRecommender::last_hidden(items, positions);
  const std::int64_t B = items.dim(0), T = items.dim(1), C = config_.dim, L = std::int64_t(blocks_.size());
  std::vector<std::int64_t> keep(static_cast<size_t>(L + 1));  // keep[l]: steps of block l's output still read
  keep[size_t(L)] = 1;
  for (std::int64_t l = L; l >= 1; --l)
    keep[size_t(l - 1)] = std::min(T, keep[size_t(l)] + 3 * (config_.kernel - 1) * config_.dilations[size_t(l - 1)]);
  // The last n columns of a [B, T] tensor.
  auto last_columns = [&](const auto& t, std::int64_t n) {
    auto out = std::decay_t<decltype(t)>::empty(Shape{B, n});
    for (std::int64_t b = 0; b < B; ++b) std::copy_n(t.data() + b * T + T - n, n, out.data() + b * n);
    return out;
  };
  const Tensor mask = real_mask(items);
  Var x = items_.forward(last_columns(items, keep[0]));
  for (std::int64_t l = 1; l <= L; ++l) {
    const std::int64_t n = keep[size_t(l - 1)];
    x = blocks_[size_t(l - 1)]->forward(x, last_columns(mask, n));
    x = slice(x, 1, n - keep[size_t(l)], n);
  }
  return x->value.reshape(Shape{B, C});
}

}  // namespace l2::recsys
