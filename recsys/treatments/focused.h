// The "Focused Learning" treatment (Beutel et al., "Beyond Globally Optimal: Focused Learning
// for Improved Recommendations", WWW 2017), adapted to sequential recommendation with the casual
// users as the focused set (docs/model-specs.md#focused-learning-and-arl). The original objective weights focused and
// unfocused examples differently and regularises the parameters of focused and unfocused items
// separately; here:
//   loss = L_casual + rho * L_core + (lambda_focus / 2) sum_{i in F} ||E_i||^2
//                                  + (lambda / 2) (sum_{i not in F} ||E_i||^2 + sum ||theta_shared||^2)
// where the focused parameters F are the item-table rows of the items that occur in casual users'
// training sequences, and everything else (the other items' rows, position tables, attention,
// GRU, convolution and layer-norm weights) is unfocused. rho < 1 weights core (unfocused)
// examples down. The regularisation weight lambda is searched on the casual-user validation
// metric over {1e-5, ..., 1e-1} (the paper's Appendix A.2); rho = 0.5 and lambda_focus = 0 by
// default (the focused items are left free to fit casual users).
#pragma once

#include "recsys/train/trainer.h"

namespace l2::recsys {

struct FocusedOptions {
  float rho = 0.5f;
  float lambda = 1e-3f;
  float lambda_focus = 0.0f;
};

class FocusedTrainer : public Trainer {
 public:
  FocusedTrainer(SequentialRecommender& model, const Split& split, const TrainConfig& config, const FocusedOptions& o);

 protected:
  float train_step(const SequenceBatch& batch) override;

 private:
  FocusedOptions o_;
  Tensor focus_mask_;  // [V + 1, 1]: 1 for focused item rows
};

}  // namespace l2::recsys
