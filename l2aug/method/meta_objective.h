// What the L2Aug reward measures on the meta-validation users (Section 4.1, Eq. 5: the reward is the
// change of a metric M on the meta set after the recommender is fine-tuned on augmented data).
// The paper's M is HR@10 + NDCG@10. Those are counts at a cutoff: on Beauty's ~1,400 meta users one
// user crossing rank 10 moves HR@10 by 7e-4, the size of the whole reward, so a reward built on
// them is mostly quantisation noise. The smooth objectives below move with every user's rank or
// score, however small the step, and are offered as estimators beyond the paper:
//   hr, ndcg, hr+ndcg  at cutoff K (the paper's: hr+ndcg at 10)
//   mrr                mean 1/rank over all items, no cutoff
//   ndcg_full          mean 1/log2(1 + rank), NDCG without a cutoff
//   loglik             mean log softmax_all-items(score)[target]: the withheld item's log-likelihood
//                      under a softmax over every item (the models are trained with a sampled BCE
//                      loss, not as a softmax, so that this rises with the ranking metrics is
//                      measured, not assumed: `l2aug reward --track-epochs`, bench/RESULTS.md)
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "recsys/data/batch.h"
#include "recsys/eval/evaluate.h"
#include "recsys/models/recommender.h"

namespace l2::method {

enum class MetaObjective { hr, ndcg, hr_ndcg, mrr, ndcg_full, loglik };
MetaObjective parse_meta_objective(const std::string& name);  // throws naming the known objectives
const char* meta_objective_name(MetaObjective o);
std::vector<std::string> meta_objective_names();

// Per meta case: the target's 1-based rank among all items and its log-likelihood under a softmax
// over all items (items 1..V; ties count against the target as in evaluation).
struct MetaScores {
  std::vector<std::int64_t> ranks;
  std::vector<double> log_likelihood;
};

// Scores the cases with the model (in eval mode) as full-ranking evaluation does: `options` gives
// the history fed (maxlen), the block of cases scored at once and whether history items are
// excluded (they then get probability 0 too). The log-likelihoods are computed only when asked
// (they cost a pass of exp over every item). Each case's figures come from one thread in a fixed
// order, so the result does not depend on the thread count.
MetaScores score_meta(const recsys::SequentialRecommender& model, std::span<const recsys::EvalCase> cases,
                      std::int32_t num_items, const recsys::EvalOptions& options, bool with_likelihood);

// Calls f(indices, block, batch) for the cases in length order (recsys::length_order),
// options.block cases at a time: `indices` are the block's positions in `cases`, `batch` feeds
// their histories (options.maxlen). What score_meta and the meta gradient (sequence_credit.h) share.
void for_each_meta_block(std::span<const recsys::EvalCase> cases, const recsys::EvalOptions& options,
                         const std::function<void(std::span<const size_t> indices, std::span<const recsys::EvalCase> block,
                                                  const recsys::EvalBatch& batch)>& f);

// M over the cases; `k` is the cutoff of hr and ndcg.
double meta_value(MetaObjective o, int k, const MetaScores& s);

}  // namespace l2::method
