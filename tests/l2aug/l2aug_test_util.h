// A small recommender, its Adam and L2Aug settings on the synthetic platform, shared by the tests
// of Algorithm 1, its estimators and the reward diagnostic.
#pragma once

#include <memory>
#include <vector>

#include "../recsys/recsys_test_util.h"
#include "l2aug/method/algorithm1.h"
#include "tensor/functional.h"

namespace l2::test::l2aug {

inline const recsys::Split& split() { return test::synthetic_split("synthetic:users=600,items=200,topics=8"); }

struct Setup {
  std::unique_ptr<recsys::SequentialRecommender> model;
  std::unique_ptr<nn::Adam> adam;
  recsys::TrainConfig train;
  method::L2AugConfig l2;
  Setup() {
    recsys::ModelConfig c = recsys::ModelConfig::defaults(recsys::ModelKind::sasrec);
    c.num_items = split().num_items();
    c.dim = 16;
    c.maxlen = 30;
    c.dropout = 0.2f;
    model = recsys::make_model(c);
    train = recsys::TrainConfig::defaults(recsys::ModelKind::sasrec);
    train.lr = 0.01f;
    adam = std::make_unique<nn::Adam>(model->named_parameters(), nn::AdamOptions{0.01f, 0.9f, 0.98f, 1e-8f, 0.0f, false, true});
    l2.batch = 32;
    l2.iterations = 12;
    l2.eval_every = 4;
    l2.replay_every = 3;
    l2.augmentor.dim = 8;
    l2.augmentor.actions = {method::Action::keep, method::Action::drop, method::Action::substitute};
  }
};

// A fresh policy (Setup's augmentor settings, 3 actions) over the first 16 training sequences of
// the synthetic split, and the log-probability of a sample's actions under it, summed over every
// row or over one.
struct PolicyOnSequences {
  method::AugmentorConfig config;
  std::unique_ptr<method::Augmentor> policy;
  std::vector<recsys::SequenceRef> seqs;
  std::vector<std::span<const std::int32_t>> spans;
  explicit PolicyOnSequences(const Setup& s) : config(s.l2.augmentor), seqs(recsys::recommender_training_sequences(split())) {
    config.maxlen = 30;
    policy = std::make_unique<method::Augmentor>(config, split().num_items());
    for (size_t r = 0; r < 16; ++r) spans.push_back(seqs[r].items);
  }
  double log_prob(const std::vector<method::Augmented>& sample, std::int64_t only_row = -1) const {
    NoGradGuard guard;
    const method::PolicyBatch b = policy->make_batch(spans);
    const Tensor logp = fn::log_softmax(policy->logits(b)->value);
    double sum = 0.0;
    for (std::int64_t r = 0; r < b.B; ++r)
      if (only_row < 0 || r == only_row)
        for (std::int64_t k = 0; k < b.length[size_t(r)]; ++k)
          sum += logp[(r * b.T + b.T - b.length[size_t(r)] + k) * 3 + sample[size_t(r)].actions[size_t(k)]];
    return sum;
  }
};

inline std::vector<float> all_values(const nn::Module& m) {
  std::vector<float> v;
  for (const auto& [n, p] : m.named_parameters()) v.insert(v.end(), p->value.data(), p->value.data() + p->value.numel());
  return v;
}

}  // namespace l2::test::l2aug
