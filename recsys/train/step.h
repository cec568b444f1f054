// A training step of a recommender on one batch, the same for the trainer, Algorithm 1's
// fine-tune and replay updates and the grid's cost estimate: the Eq. (2) loss (loss.h), then
// backward, clipping, the optimiser step and zeroing (nn::gradient_step).
//
// Note [Length buckets within a step]
// A batch drawn at random from real users is mostly padding: on Amazon Beauty, 512 random core
// sequences have a median length of 6 and a longest of 100-185, so a batch as wide as its longest
// sequence is 8-16% real positions. The second overload sorts the batch's rows by length and cuts
// them into narrower sub-batches (length_buckets in recsys/data/batch.h: at least half of each
// one's positions real where a bucket of 16 rows is left for the rest), runs forward and backward
// on each with the whole batch's target count as the loss's denominator, so that the gradients
// add up to the whole batch's, then clips and steps once (nn::apply_gradients). The loss and the gradient are the whole batch's (up to the
// order of float additions); negatives do not change (Note [Bucketing] in recsys/data/batch.h);
// dropout masks are drawn per sub-batch, so they differ from the unbucketed step's draws.
#pragma once

#include <span>

#include "nn/optim.h"
#include "recsys/data/batch.h"
#include "recsys/models/recommender.h"

namespace l2::recsys {

// Returns the batch's loss before the step.
float next_item_step(SequentialRecommender& model, const SequenceBatch& batch, nn::Optimizer& opt, float clip_norm);

// One step on sequences[rows], computed in length buckets (Note [Length buckets within a step]).
// Returns the whole batch's loss before the step.
float next_item_step(SequentialRecommender& model, std::span<const SequenceRef> sequences,
                     std::span<const std::int32_t> rows, std::int64_t maxlen, const NegativeSampling& negatives,
                     nn::Optimizer& opt, float clip_norm);


}  // namespace l2::recsys
