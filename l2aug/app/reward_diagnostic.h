// How much an L2Aug reward can tell the policy (the reward diagnostic behind `l2aug reward`).
//
// Algorithm 1 turns one scalar per batch into a policy gradient. That scalar varies for two
// reasons: the actions the policy sampled (the signal REINFORCE needs) and everything else, which
// batch of core sequences was drawn, its negatives and dropout masks (noise, unless the estimator
// cancels it). The diagnostic draws `batches` batches (iterations 0, 1, ... of Algorithm 1's
// streams) and for each `samples` samples of actions from a fixed policy, all fine-tuned with the
// batch's own draws, and splits the rewards r[b][s] as in a one-way random-effects ANOVA:
//   var_actions = mean_b var_s r[b][s]                       (within a batch: the actions alone)
//   var_other   = max(0, var_b mean_s r[b][s] - var_actions / S)  (between batches: the rest)
//   snr         = var_actions / var_other
// The quantisation step is the smallest non-zero difference between two rewards of one batch;
// `ties` is the share of pairs of samples of one batch whose rewards are equal (no signal at all).
// `edit_correlation` is the mean over batches of the correlation between a sample's reward and its
// share of edited (not kept) items: a reward that responds to the amount of editing shows it here.
// With credit = sequence (Note [Per-sequence credit]) each sample's per-sequence credits are
// computed too: `predicted` is their sum, the first-order prediction of the paired log-likelihood
// reward, and `credit_correlation` the correlation of predicted and measured rewards within
// batches (both centred on their batch's mean, pooled): whether the first-order credit ranks the
// samples of a batch as the fine-tune does. `credit_spread` is the mean over samples of the
// credits' standard deviation across the batch's sequences, `credit_total` that of their sum's
// absolute value: per-sequence credit separates the rows when the spread is large against the sum.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "l2aug/method/algorithm1.h"

namespace l2::app {

struct RewardDiagnostic {
  std::string label;
  nlohmann::json settings;                         // the L2Aug settings measured
  std::int64_t meta_users = 0;
  std::vector<std::vector<double>> rewards;        // [batch][sample]
  std::vector<std::vector<double>> edited;         // [batch][sample] share of decided items not kept
  double mean = 0.0, std = 0.0, var_actions = 0.0, var_other = 0.0, snr = 0.0;
  double quantum = 0.0, ties = 0.0, edit_correlation = 0.0;
  std::vector<std::vector<double>> predicted;      // [batch][sample], credit = sequence only
  double credit_correlation = 0.0, credit_spread = 0.0, credit_total = 0.0;
  double seconds_per_reward = 0.0;
  nlohmann::json to_json() const;
};

// Measures the rewards of `config` (its `samples` is the number of samples per batch) from the
// recommender `model` with optimiser state `optimizer`, which are left unchanged.
RewardDiagnostic diagnose_rewards(recsys::SequentialRecommender& model, nn::Adam& optimizer, const recsys::Split& split,
                                  const recsys::TrainConfig& train, const method::L2AugConfig& config,
                                  std::int64_t batches, const std::string& label);

// Over a run's log: for each interval between two validations, the sum of the rewards of its
// iterations against the change of the validation criterion at its end. A reward that carries
// information about the casual users gives a positive correlation.
struct RewardValidationLink {
  std::int64_t intervals = 0;
  double correlation = 0.0;  // Pearson; 0 with fewer than 3 intervals or no spread
  std::vector<double> summed_reward, validation_change;
  nlohmann::json to_json() const;
};
RewardValidationLink reward_validation_link(const std::vector<method::L2AugLogRow>& log);

// Pearson correlation of two equally long series; 0 when either has no spread.
double pearson(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace l2::app
