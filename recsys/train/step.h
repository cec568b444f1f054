// A training step of a recommender on one batch, the same for the trainer, Algorithm 1's
// fine-tune and replay updates and the grid's cost estimate: the Eq. (2) loss (loss.h), then
// backward, clipping, the optimiser step and zeroing (nn::gradient_step).
#pragma once

#include "nn/optim.h"
#include "recsys/data/batch.h"
#include "recsys/models/recommender.h"

namespace l2::recsys {

// Returns the batch's loss before the step.
float next_item_step(SequentialRecommender& model, const SequenceBatch& batch, nn::Optimizer& opt, float clip_norm);

}  // namespace l2::recsys
