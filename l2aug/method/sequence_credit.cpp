#include "l2aug/method/sequence_credit.h"

#include <cmath>

#include "l2aug/method/meta_objective.h"
#include "recsys/train/loss.h"

namespace l2::method {

namespace {
// The model in eval mode (no dropout) for the guard's lifetime, then back in its former mode.
class EvalMode {
 public:
  explicit EvalMode(recsys::SequentialRecommender& model) : model_(model), was_training_(model.training()) { model.eval(); }
  ~EvalMode() { model_.train(was_training_); }
  EvalMode(const EvalMode&) = delete;
  EvalMode& operator=(const EvalMode&) = delete;

 private:
  recsys::SequentialRecommender& model_;
  bool was_training_;
};
}  // namespace

std::vector<Tensor> meta_loglik_gradient(recsys::SequentialRecommender& model, std::span<const recsys::EvalCase> cases,
                                         std::int32_t num_items, const recsys::EvalOptions& options) {
  L2_CHECK(!cases.empty(), "meta_loglik_gradient: no meta case");
  const std::int64_t V = num_items;
  const float per_case = -1.0f / float(cases.size());  // M = -mean cross-entropy
  {
    const EvalMode eval(model);
    // Blocks as score_meta scores them; each block's gradient adds up in the leaves.
    for_each_meta_block(cases, options, [&](std::span<const size_t>, std::span<const recsys::EvalCase> block,
                                            const recsys::EvalBatch& batch) {
      const Var h = model.hidden(batch.items, batch.positions);  // [B, T, dim]
      const Var last = reshape(slice(h, 1, batch.T - 1, batch.T), Shape{batch.B, model.config().dim});
      Var logits = slice(matmul(last, model.item_table().weight(), false, true), 1, 1, V + 1);  // items 1..V
      IndexTensor target = IndexTensor::zeros(Shape{batch.B});
      for (std::int64_t b = 0; b < batch.B; ++b) target[b] = block[size_t(b)].target - 1;
      if (options.exclude_history) {
        IndexTensor excluded = IndexTensor::zeros(Shape{batch.B, V});
        for (std::int64_t b = 0; b < batch.B; ++b)
          for (std::int32_t i : block[size_t(b)].history)
            if (i != block[size_t(b)].target) excluded[b * V + i - 1] = 1;
        logits = masked_fill(logits, excluded, -INFINITY);
      }
      backward(scale(sum(cross_entropy(logits, target)), per_case));
    });
  }
  std::vector<Tensor> out;
  for (const auto& [name, p] : model.named_parameters())
    out.push_back(p->grad.defined() ? p->grad.clone() : Tensor::zeros(p->value.shape()));
  model.zero_grad();
  return out;
}

std::vector<Tensor> adam_scaled(const nn::Adam& optimizer, std::vector<Tensor> gradient) {
  const nn::StateDict state = optimizer.state();
  const nn::NamedParams& params = optimizer.params();
  L2_CHECK(params.size() == gradient.size(), "adam_scaled: " << gradient.size() << " gradients for "
                                                             << params.size() << " parameters");
  const nn::AdamOptions& o = optimizer.options();
  const double correction = 1.0 - std::pow(double(o.beta2), double(state.get_int("step")));
  for (size_t k = 0; k < params.size(); ++k) {
    const auto v = state.tensors.find("v." + params[k].first);
    if (v == state.tensors.end() || correction <= 0.0) continue;
    float* g = gradient[k].data();
    const float* second = v->second.data();
    for (std::int64_t j = 0; j < gradient[k].numel(); ++j)
      g[j] = float(double(g[j]) / (std::sqrt(double(second[j]) / correction) + double(o.eps)));
  }
  return gradient;
}

std::vector<double> row_loss_shares(const recsys::SequentialRecommender& model, std::span<const recsys::SequenceRef> sequences,
                                    std::int64_t maxlen, const recsys::NegativeSampling& negatives) {
  L2_CHECK(!model.training(), "row_loss_shares: the model must be in eval mode (no dropout)");
  const std::vector<std::int64_t> lengths = recsys::input_lengths(sequences, maxlen);
  double count = 0.0;  // every input position has a target
  for (std::int64_t l : lengths) count += double(l);
  std::vector<double> out(sequences.size(), 0.0);
  NoGradGuard no_graph;
  for (const std::vector<std::int32_t>& bucket : recsys::length_buckets(lengths)) {
    const recsys::SequenceBatch batch = recsys::make_sequence_batch(sequences, bucket, maxlen, negatives);
    const Tensor mean = recsys::next_item_loss_per_sequence(model, batch).losses->value;  // [B] per-row means
    for (size_t j = 0; j < bucket.size(); ++j)
      out[size_t(bucket[j])] = double(mean[std::int64_t(j)]) * double(lengths[size_t(bucket[j])]) / count;
  }
  return out;
}

std::vector<double> row_loss_slopes(recsys::SequentialRecommender& scratch, const recsys::SequentialRecommender& model,
                                    std::span<const Tensor> d, std::span<const recsys::SequenceRef> sequences,
                                    std::int64_t maxlen, const recsys::NegativeSampling& negatives, double h) {
  double norm2 = 0.0;
  for (const Tensor& t : d)
    for (std::int64_t j = 0; j < t.numel(); ++j) norm2 += double(t[j]) * double(t[j]);
  if (norm2 == 0.0) return std::vector<double>(sequences.size(), 0.0);
  const double norm = std::sqrt(norm2);
  const nn::NamedParams params = scratch.named_parameters();
  L2_CHECK(params.size() == d.size(), "row_loss_slopes: " << d.size() << " directions for " << params.size() << " parameters");
  const std::map<std::string, Tensor> theta = model.state_dict();
  // θ + sign h d/|d|, from θ each time (no drift from adding and subtracting).
  auto losses_at = [&](double sign) {
    for (size_t k = 0; k < params.size(); ++k) {
      const Tensor& base = theta.at(params[k].first);
      float* p = params[k].second->value.data();
      const float step = float(sign * h / norm);
      for (std::int64_t j = 0; j < base.numel(); ++j) p[j] = base[j] + step * d[k][j];
    }
    const EvalMode eval(scratch);
    return row_loss_shares(scratch, sequences, maxlen, negatives);
  };
  const std::vector<double> plus = losses_at(1.0), minus = losses_at(-1.0);
  std::vector<double> out(sequences.size());
  for (size_t r = 0; r < out.size(); ++r) out[r] = (plus[r] - minus[r]) / (2.0 * h) * norm;
  return out;
}

}  // namespace l2::method
