// Credit per sequence instead of one reward per batch (issue 15; beyond the paper, whose Eq. 7
// gives the batch's reward to every decision in it).
//
// Note [Per-sequence credit]
// A fine-tune step that moves the recommender's parameters by Δθ changes a smooth meta objective M
// by ΔM ≈ ∇M·Δθ (first order, as in learning-to-reweight methods). A step on the batch loss
// L = Σ_r ℓ_r (ℓ_r: row r's share of it) moves them by Δθ ≈ −η P Σ_r ∇ℓ_r, P being Adam's
// per-parameter scale 1/(sqrt(v̂) + ε) from the optimiser's second moments, so row r contributes
// −η ∇ℓ_r·P∇M. What a row's augmentation changes is credited to its decisions:
//   c_r = −η (∇ℓ_r(augmented) − ∇ℓ_r(original))·d,   d = P∇M,
// M being the meta users' mean log-likelihood (meta_objective.h's loglik, the smooth objective with
// a gradient). ∇ℓ_r·d for every row at once is the slope of the rows' losses along d, measured by a
// central difference, (ℓ_r(θ + h d̂) − ℓ_r(θ − h d̂)) / 2h · |d| with d̂ = d/|d|: two forward passes
// per batch instead of a backward pass per row (our autograd has no per-example gradients and no
// second order). Rows are scored without dropout; each version of a row has its own negatives, as
// in the fine-tune. Whether this credit tells the policy more than the batch's reward is measured
// (`l2aug reward`, bench/RESULTS.md), not assumed.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "nn/optim.h"
#include "recsys/data/batch.h"
#include "recsys/eval/evaluate.h"
#include "recsys/models/recommender.h"

namespace l2::method {

// ∇M for M = the mean over `cases` of log softmax_all-items(score)[target] (items 1..V; history
// items other than the target excluded when options.exclude_history), one tensor per parameter
// of `model` in named_parameters() order. Runs the model in eval mode and leaves its gradients zero.
std::vector<Tensor> meta_loglik_gradient(recsys::SequentialRecommender& model, std::span<const recsys::EvalCase> cases,
                                         std::int32_t num_items, const recsys::EvalOptions& options);

// d = P g: each parameter's gradient divided by Adam's sqrt(v̂) + ε (Note [Per-sequence credit]);
// g unchanged where the optimiser has no moments yet.
std::vector<Tensor> adam_scaled(const nn::Adam& optimizer, std::vector<Tensor> gradient);

// ℓ_r for every row: its target positions' share of the next-item loss of the whole batch (their
// loss divided by the batch's target count), without dropout and without a graph.
std::vector<double> row_loss_shares(const recsys::SequentialRecommender& model, std::span<const recsys::SequenceRef> sequences,
                                    std::int64_t maxlen, const recsys::NegativeSampling& negatives);

// ∇ℓ_r·d for every row (Note [Per-sequence credit]): `scratch`, a model of `model`'s configuration,
// is given θ ± h d/|d| in turn (its parameters are overwritten). `h` is the step's length in
// parameter space. All zero when d is zero.
std::vector<double> row_loss_slopes(recsys::SequentialRecommender& scratch, const recsys::SequentialRecommender& model,
                                    std::span<const Tensor> d, std::span<const recsys::SequenceRef> sequences,
                                    std::int64_t maxlen, const recsys::NegativeSampling& negatives, double h);

}  // namespace l2::method
