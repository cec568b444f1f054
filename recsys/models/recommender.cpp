#include "recsys/models/recommender.h"

#include "recsys/models/gru4rec.h"
#include "recsys/models/nextitnet.h"
#include "recsys/models/sasrec.h"
#include "tensor/gemm.h"

namespace l2::recsys {

SequentialRecommender::SequentialRecommender(const ModelConfig& config)
    : config_(config),
      rng_(std::make_shared<Generator>(config.seed, /*stream=*/0xD0)),
      items_(config.num_items + 1, config.dim, /*padding_idx=*/0) {
  L2_CHECK(config.num_items > 0, "model: the dataset has no items (num_items = " << config.num_items << ")");
  register_module("items", items_);
}

Var SequentialRecommender::score(const Var& h, const IndexTensor& candidates) const {
  Var e = gather_rows(items_.weight(), candidates, 0);  // [B, T, dim]
  return sum(mul(h, e), -1);
}

Tensor SequentialRecommender::last_hidden(const IndexTensor& items, const IndexTensor& positions) const {
  Var h = hidden(items, positions);
  const std::int64_t B = items.dim(0), T = items.dim(1), C = config_.dim;
  Tensor last = Tensor::empty(Shape{B, C});
  for (std::int64_t b = 0; b < B; ++b)
    std::copy_n(h->value.data() + (b * T + T - 1) * C, C, last.data() + b * C);
  return last;
}

Tensor SequentialRecommender::score_all_last(const IndexTensor& items, const IndexTensor& positions) const {
  NoGradGuard guard;
  const Tensor last = last_hidden(items, positions);
  const std::int64_t B = items.dim(0), C = config_.dim;
  const Tensor& E = items_.weight()->value;
  Tensor scores = Tensor::empty(Shape{B, E.dim(0)});
  gemm(false, true, B, E.dim(0), C, 1.0f, last.data(), E.data(), 0.0f, scores.data());
  return scores;
}

void SequentialRecommender::reset_parameters() {
  nn::Init init = config_.init;
  init.seed = config_.seed;
  init_parameters(init);
}

Tensor SequentialRecommender::real_mask(const IndexTensor& items) {
  Tensor m = Tensor::empty(items.shape());
  for (std::int64_t i = 0; i < items.numel(); ++i) m[i] = items[i] != 0 ? 1.0f : 0.0f;
  return m;
}

IndexTensor SequentialRecommender::padding_flags(const IndexTensor& items) {
  IndexTensor m = IndexTensor::empty(items.shape());
  for (std::int64_t i = 0; i < items.numel(); ++i) m[i] = items[i] == 0 ? 1 : 0;
  return m;
}

std::unique_ptr<SequentialRecommender> make_model(const ModelConfig& config) {
  std::unique_ptr<SequentialRecommender> m;
  switch (config.kind) {
    case ModelKind::sasrec: m = std::make_unique<SASRec>(config); break;
    case ModelKind::gru4rec: m = std::make_unique<GRU4Rec>(config); break;
    case ModelKind::nextitnet: m = std::make_unique<NextItNet>(config); break;
  }
  m->reset_parameters();
  return m;
}

}  // namespace l2::recsys
