#include "recsys/treatments/adversarial.h"

#include "recsys/train/loss.h"

namespace l2::recsys {

Adversary::Adversary(std::int64_t input, std::int64_t hidden, std::uint64_t seed) : l1_(input, hidden), l2_(hidden, 1) {
  register_module("l1", l1_);
  register_module("l2", l2_);
  nn::Init init;
  init.seed = seed;
  init_parameters(init);
}

Var Adversary::scores(const Var& features) const {
  return reshape(l2_.forward(l1_.forward(features)), Shape{features->shape()[0]});
}

Var example_weights(const Var& o) {
  const Var s = sigmoid(o);
  const float n = float(o->shape()[0]);
  return add_scalar(scale(div(s, sum(s)), n), 1.0f);
}

Tensor adversary_input(const PerSequenceLoss& per, const SequentialRecommender& model, const SequenceBatch& batch) {
  const std::int64_t B = batch.B, T = batch.T, C = model.config().dim;
  Tensor features = Tensor::empty(Shape{B, 2 * C});
  const Tensor& table = model.item_table().weight()->value;
  for (std::int64_t b = 0; b < B; ++b) {
    std::copy_n(per.hidden->value.data() + (b * T + T - 1) * C, C, features.data() + b * 2 * C);
    std::copy_n(table.data() + std::int64_t(batch.targets[b * T + T - 1]) * C, C, features.data() + b * 2 * C + C);
  }
  return features;
}

AdversarialTrainer::AdversarialTrainer(SequentialRecommender& model, const Split& split, const TrainConfig& config,
                                       const AdversarialOptions& o)
    : Trainer(model, split, config), o_(o) {
  adversary_ = std::make_unique<Adversary>(2 * model.config().dim, o.hidden, o.seed);
  nn::AdagradOptions a;
  a.lr = o.lr;
  adversary_opt_ = std::make_unique<nn::Adagrad>(adversary_->named_parameters(), a);
}

AdversarialTrainer::~AdversarialTrainer() = default;

float AdversarialTrainer::train_step(const SequenceBatch& batch) {
  const PerSequenceLoss per = next_item_loss_per_sequence(model_, batch);  // [B], with the graph
  Var loss;
  if (steps_ < o_.warmup) {
    loss = mean(per.losses);  // lambda = 1: the recommender alone
  } else {
    const Var lambda = example_weights(adversary_->scores(constant(adversary_input(per, model_, batch))));
    // The adversary ascends mean(lambda * loss): descend its negative, the losses held constant.
    nn::gradient_step(neg(mean(mul(lambda, constant(per.losses->value)))), *adversary_opt_);
    loss = mean(mul(per.losses, constant(lambda->value)));  // the recommender: lambda held constant
  }
  nn::gradient_step(loss, adam_, config_.clip_norm);
  ++steps_;
  return loss->value.item();
}

nn::StateDict AdversarialTrainer::extra_state() const {
  nn::StateDict s;
  for (const auto& [k, t] : adversary_->state_dict()) s.tensors["adversary." + k] = t;
  s.merge("adversary_optim.", adversary_opt_->state());
  s.set_int("steps", steps_);
  return s;
}

void AdversarialTrainer::load_extra_state(const nn::StateDict& s) {
  adversary_->load_state_dict(s.extract("adversary.").tensors);
  adversary_opt_->load_state(s.extract("adversary_optim."));
  steps_ = s.get_int("steps");
}

}  // namespace l2::recsys
