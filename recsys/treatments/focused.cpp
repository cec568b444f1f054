#include "recsys/treatments/focused.h"

#include "recsys/train/loss.h"

namespace l2::recsys {

FocusedTrainer::FocusedTrainer(SequentialRecommender& model, const Split& split, const TrainConfig& config,
                               const FocusedOptions& o)
    : Trainer(model, split, config), o_(o) {
  L2_CHECK(o.rho >= 0.0f && o.lambda >= 0.0f && o.lambda_focus >= 0.0f,
           "focused treatment: rho, lambda and lambda_focus must be non-negative");
  std::vector<SequenceRef> seqs = recommender_training_sequences(split);
  focus_mask_ = Tensor::zeros(Shape{split.num_items() + 1, 1});
  for (SequenceRef& s : seqs) {
    if (split.group(s.user) == Group::casual) {
      for (std::int32_t i : s.items) focus_mask_[i] = 1.0f;
    } else {
      s.weight = o.rho;
    }
  }
  set_sequences(std::move(seqs));
}

float FocusedTrainer::train_step(const SequenceBatch& batch) {
  Var loss = next_item_loss(model_, batch);
  Var table = model_.item_table().weight();
  Var sq = mul(table, table);
  // (lambda_focus / 2) ||E_F||^2 + (lambda / 2) ||E_notF||^2 as one weighted sum over the rows.
  Tensor row_weight = Tensor::empty(focus_mask_.shape());
  for (std::int64_t i = 0; i < row_weight.numel(); ++i)
    row_weight[i] = 0.5f * (focus_mask_[i] != 0.0f ? o_.lambda_focus : o_.lambda);
  loss = add(loss, sum(mul(sq, constant(row_weight))));
  if (o_.lambda > 0.0f)
    for (const auto& [name, p] : model_.named_parameters())
      if (p != table) loss = add(loss, scale(sum(mul(p, p)), 0.5f * o_.lambda));
  nn::gradient_step(loss, adam_, config_.clip_norm);
  return loss->value.item();
}

}  // namespace l2::recsys
