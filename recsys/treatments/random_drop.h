// The "Random" treatment (L2Aug paper, Section 5.1 and Appendix A.2): every core user's training
// sequence gives a synthetic one by dropping each item independently with probability p; the
// recommender trains on the synthetic sequences together with all the original ones (casual and
// core). The synthetic sequences are drawn afresh each epoch (seeded by the epoch), and keep at
// least 2 items by the augmentor's rule (Note [Minimum length] in l2aug/method/augmentor.h: the most
// recent dropped items come back). p is chosen on validation from {0.2, 0.3, ..., 0.8}.
// The "replace" mode is the setup of the paper's Figure 1(c): the dropped core sequences take the
// place of the original core sequences instead of joining them, and p = 1 removes the core users'
// interactions altogether (the recommender then trains on casual users only).
#pragma once

#include "recsys/train/trainer.h"

namespace l2::recsys {

// The drop of one sequence: each item kept unless u < p, at least 2 items left. Deterministic in `g`.
std::vector<std::int32_t> random_drop(std::span<const std::int32_t> sequence, float p, Generator& g);

class RandomDropTrainer : public Trainer {
 public:
  RandomDropTrainer(SequentialRecommender& model, const Split& split, const TrainConfig& config, float p,
                    bool replace = false);

 protected:
  void on_epoch_begin(std::int64_t epoch) override;

 private:
  float p_;
  bool replace_;
  std::vector<SequenceRef> originals_;
  std::vector<std::vector<std::int32_t>> synthetic_;  // owns the items the synthetic refs point to
};

}  // namespace l2::recsys
