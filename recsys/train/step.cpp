#include "recsys/train/step.h"

#include "recsys/train/loss.h"

namespace l2::recsys {

float next_item_step(SequentialRecommender& model, const SequenceBatch& batch, nn::Optimizer& opt, float clip_norm) {
  const Var loss = next_item_loss(model, batch);
  nn::gradient_step(loss, opt, clip_norm);
  return loss->value.item();
}

float next_item_step(SequentialRecommender& model, std::span<const SequenceRef> sequences,
                     std::span<const std::int32_t> rows, std::int64_t maxlen, const NegativeSampling& negatives,
                     nn::Optimizer& opt, float clip_norm) {
  L2_CHECK(!rows.empty(), "next_item_step: an empty batch");
  // Every input position has a target, so the whole batch's count is the sum of input lengths.
  std::vector<SequenceRef> batch_refs;
  for (std::int32_t r : rows) batch_refs.push_back(sequences[size_t(r)]);
  const std::vector<std::int64_t> lengths = input_lengths(batch_refs, maxlen);
  double count = 0.0;
  for (std::int64_t l : lengths) count += double(l);
  double total = 0.0;
  for (std::vector<std::int32_t> bucket : length_buckets(lengths)) {
    for (std::int32_t& r : bucket) r = rows[size_t(r)];
    const Var loss = next_item_loss(model, make_sequence_batch(sequences, bucket, maxlen, negatives), count);
    backward(loss);
    total += double(loss->value.item());
  }
  nn::apply_gradients(opt, clip_norm);
  return float(total);
}

}  // namespace l2::recsys
