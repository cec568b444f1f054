// The training objective of every recommender, the L2Aug paper's Eq. (2): binary cross-entropy
// with logits on the next item (label 1) and on one sampled negative (label 0) at every
// non-padding position,
//   loss = sum_{b,t} w_b m_bt [ -log σ(h_bt . e_pos) - log(1 - σ(h_bt . e_neg)) ] / sum_{b,t} m_bt
// where m marks positions with a target and w_b is the batch row's sequence weight (1 unless a
// treatment reweights users; with all weights 1 this is the original SASRec loss).
#pragma once

#include "recsys/data/batch.h"
#include "recsys/models/recommender.h"

namespace l2::recsys {

// Runs the fused sampled_bce_loss op on the model's hidden states. `denominator` replaces the
// batch's own target count sum_{b,t} m_bt when positive: a sub-batch of a larger batch divides by
// the larger batch's count, so the sub-batches' losses add up to the whole batch's.
Var next_item_loss(const SequentialRecommender& model, const SequenceBatch& batch, double denominator = 0.0);
// The same loss composed from primitive ops (gather, mul, sum, bce_with_logits): the reference.
Var next_item_loss_composed(const SequentialRecommender& model, const SequenceBatch& batch);

// The same loss per sequence, unweighted: [B], each the mean over the row's target positions
// (what the adversarial-reweighting treatment weighs), and the hidden states it came from.
struct PerSequenceLoss {
  Var losses;  // [B]
  Var hidden;  // [B, T, dim]
};
PerSequenceLoss next_item_loss_per_sequence(const SequentialRecommender& model, const SequenceBatch& batch);

}  // namespace l2::recsys
