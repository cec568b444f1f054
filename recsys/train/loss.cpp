#include "recsys/train/loss.h"

namespace l2::recsys {

namespace {
// Per position: BCE(pos logit, 1) + BCE(neg logit, 0), [B, T]; zero where there is no target
// (those rows score the zero padding embedding and are masked by the caller).
Var position_losses(const SequentialRecommender& model, const SequenceBatch& batch, const Var& h) {
  const Var pos = model.score(h, batch.targets);
  const Var neg = model.score(h, batch.negatives);
  return add(bce_with_logits(pos, Tensor::full(pos->shape(), 1.0f)), bce_with_logits(neg, Tensor::zeros(neg->shape())));
}

Tensor target_mask(const SequenceBatch& batch) {
  Tensor m = Tensor::empty(batch.targets.shape());
  for (std::int64_t i = 0; i < m.numel(); ++i) m[i] = batch.targets[i] != 0 ? 1.0f : 0.0f;
  return m;
}
}  // namespace

namespace {
// Per position: the row's weight where the position has a target, else 0; and the number of targets.
std::pair<Tensor, double> weighted_targets(const SequenceBatch& batch) {
  Tensor wm = target_mask(batch);
  double count = 0.0;
  for (std::int64_t b = 0; b < batch.B; ++b)
    for (std::int64_t t = 0; t < batch.T; ++t) {
      count += wm[b * batch.T + t];
      wm[b * batch.T + t] *= batch.weights[b];
    }
  L2_CHECK(count > 0, "next_item_loss: the batch has no target position");
  return {wm, count};
}
}  // namespace

Var next_item_loss(const SequentialRecommender& model, const SequenceBatch& batch, double denominator) {
  Var h = model.hidden(batch.items, batch.positions);
  auto [wm, count] = weighted_targets(batch);
  if (denominator > 0.0) count = denominator;
  const std::int64_t C = h->shape().last();
  return sampled_bce_loss(reshape(h, Shape{batch.B * batch.T, C}), model.item_table().weight(),
                          batch.targets.reshape(Shape{batch.B * batch.T}), batch.negatives.reshape(Shape{batch.B * batch.T}),
                          wm.reshape(Shape{batch.B * batch.T}), count);
}

Var next_item_loss_composed(const SequentialRecommender& model, const SequenceBatch& batch) {
  Var h = model.hidden(batch.items, batch.positions);
  const auto [wm, count] = weighted_targets(batch);
  return scale(sum(mul(position_losses(model, batch, h), constant(wm))), float(1.0 / count));
}

PerSequenceLoss next_item_loss_per_sequence(const SequentialRecommender& model, const SequenceBatch& batch) {
  Var h = model.hidden(batch.items, batch.positions);
  Tensor m = target_mask(batch);
  for (std::int64_t b = 0; b < batch.B; ++b) {  // each row's mask divided by its number of targets
    double n = 0;
    for (std::int64_t t = 0; t < batch.T; ++t) n += m[b * batch.T + t];
    L2_CHECK(n > 0, "next_item_loss_per_sequence: row " << b << " has no target position");
    for (std::int64_t t = 0; t < batch.T; ++t) m[b * batch.T + t] = float(m[b * batch.T + t] / n);
  }
  return {sum(mul(position_losses(model, batch, h), constant(m)), 1), h};
}

}  // namespace l2::recsys
