// The "Adversarial Reweighting" treatment (Lahoti et al., "Fairness without Demographics through
// Adversarially Reweighted Learning", NeurIPS 2020; the original's robust_learning_model.py,
// docs/model-specs.md#focused-learning-and-arl) with the recommender as the learner. An adversary sees each training
// sequence's representation and its target,
//   input  = [h_last ; E[target_last]]   (the hidden state at the sequence's last position and the
//            embedding of the item it must predict there, both held constant for the adversary)
//   o      = Dense(1)(Dense(32, no activation)(input))
//   lambda = 1 + n * sigmoid(o) / sum_batch sigmoid(o)          (mean lambda over a batch = 2)
// The recommender minimises mean(lambda_b * loss_b) (lambda held constant), the adversary
// maximises it (the losses held constant), each with its own optimiser: the recommender's Adam,
// and Adagrad (lr 1e-3) for the adversary as in the original. For the first `warmup` steps
// lambda = 1 and only the recommender learns (the original's pretrain_steps; 250 in its
// main_trainer). loss_b is sequence b's next-item loss averaged over its positions.
#pragma once

#include <memory>

#include "nn/layers.h"
#include "nn/optim.h"
#include "recsys/train/loss.h"
#include "recsys/train/trainer.h"

namespace l2::recsys {

struct AdversarialOptions {
  std::int64_t hidden = 32;
  float lr = 1e-3f;
  std::int64_t warmup = 250;
  std::uint64_t seed = 1;
};

class Adversary : public nn::Module {
 public:
  Adversary(std::int64_t input, std::int64_t hidden, std::uint64_t seed);
  Var scores(const Var& features) const;  // [B, input] -> o: [B]
 private:
  nn::Linear l1_, l2_;
};

// lambda = 1 + n sigmoid(o) / sum sigmoid(o) over the batch, as a differentiable function of o.
Var example_weights(const Var& o);

// The adversary's input for each sequence of a batch, [B, 2 C]: the hidden state at the last
// position and the embedding of that position's target (values only, no graph).
Tensor adversary_input(const PerSequenceLoss& per, const SequentialRecommender& model, const SequenceBatch& batch);

class AdversarialTrainer : public Trainer {
 public:
  AdversarialTrainer(SequentialRecommender& model, const Split& split, const TrainConfig& config,
                     const AdversarialOptions& o);
  ~AdversarialTrainer() override;
  const Adversary& adversary() const { return *adversary_; }

 protected:
  float train_step(const SequenceBatch& batch) override;
  nn::StateDict extra_state() const override;
  void load_extra_state(const nn::StateDict& s) override;

 private:
  AdversarialOptions o_;
  std::unique_ptr<Adversary> adversary_;
  std::unique_ptr<nn::Adagrad> adversary_opt_;
  std::int64_t steps_ = 0;
};

}  // namespace l2::recsys
