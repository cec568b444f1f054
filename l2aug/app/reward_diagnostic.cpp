#include "l2aug/app/reward_diagnostic.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

namespace l2::app {

namespace {
double mean_of(const std::vector<double>& x) {
  double s = 0.0;
  for (double v : x) s += v;
  return x.empty() ? 0.0 : s / double(x.size());
}
// Unbiased sample variance (n - 1); 0 for fewer than two values.
double variance_of(const std::vector<double>& x) {
  if (x.size() < 2) return 0.0;
  const double m = mean_of(x);
  double s = 0.0;
  for (double v : x) s += (v - m) * (v - m);
  return s / double(x.size() - 1);
}
}  // namespace

double pearson(const std::vector<double>& x, const std::vector<double>& y) {
  L2_CHECK(x.size() == y.size(), "pearson: series of different lengths");
  if (x.size() < 2) return 0.0;
  const double mx = mean_of(x), my = mean_of(y);
  double sxy = 0.0, sxx = 0.0, syy = 0.0;
  for (size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return sxx > 0.0 && syy > 0.0 ? sxy / std::sqrt(sxx * syy) : 0.0;
}

nlohmann::json RewardDiagnostic::to_json() const {
  return {{"label", label},
          {"settings", settings},
          {"meta_users", meta_users},
          {"batches", rewards.size()},
          {"samples", rewards.empty() ? 0 : rewards[0].size()},
          {"mean", mean},
          {"std", std},
          {"var_actions", var_actions},
          {"var_other", var_other},
          {"snr", snr},
          {"quantum", quantum},
          {"ties", ties},
          {"edit_correlation", edit_correlation},
          {"seconds_per_reward", seconds_per_reward},
          {"rewards", rewards},
          {"edited", edited},
          {"predicted", predicted},
          {"credit_correlation", credit_correlation},
          {"credit_spread", credit_spread},
          {"credit_total", credit_total}};
}

RewardDiagnostic diagnose_rewards(recsys::SequentialRecommender& model, nn::Adam& optimizer, const recsys::Split& split,
                                  const recsys::TrainConfig& train, const method::L2AugConfig& config,
                                  std::int64_t batches, const std::string& label) {
  L2_CHECK(batches >= 2, "reward diagnostic: needs at least 2 batches, got " << batches);
  L2_CHECK(config.samples >= 2, "reward diagnostic: needs at least 2 samples of actions per batch (treatment.samples), got "
                                    << config.samples);
  RewardDiagnostic d;
  d.label = label;
  d.settings = config.to_json();
  // The rewards do not depend on how REINFORCE would turn them into advantages (no update is made),
  // so the moving baseline and normalisation are left out of the sampled design.
  method::L2AugConfig sampled = config;
  sampled.reinforce.baseline = sampled.reinforce.normalize = false;
  // Per-sequence credit is measured on every sample (no update is made, so the trainer's own
  // credit setting, which allows one sample, is not used).
  const bool credit = config.credit == "sequence";
  sampled.credit = "batch";
  method::L2AugTrainer trainer(model, optimizer, split, train, sampled);
  d.meta_users = trainer.meta_size();
  const std::vector<method::Action>& actions = config.augmentor.actions;
  const auto keep = std::find(actions.begin(), actions.end(), method::Action::keep);
  const auto start = std::chrono::steady_clock::now();
  std::vector<double> batch_means;
  double within = 0.0, tie_pairs = 0.0, pairs = 0.0, edit_corr = 0.0;
  d.quantum = std::numeric_limits<double>::infinity();
  for (std::int64_t b = 0; b < batches; ++b) {
    const method::L2AugTrainer::SampledRewards r = trainer.sample_rewards(b);
    std::vector<double> edited;
    for (const std::vector<method::Augmented>& sample : r.samples) {
      double n = 0.0, changed = 0.0;
      for (const method::Augmented& a : sample)
        for (std::int32_t act : a.actions) {
          n += 1.0;
          changed += keep == actions.end() || act != std::int32_t(keep - actions.begin()) ? 1.0 : 0.0;
        }
      edited.push_back(n > 0.0 ? changed / n : 0.0);
    }
    for (size_t i = 0; i < r.rewards.size(); ++i)
      for (size_t j = i + 1; j < r.rewards.size(); ++j) {
        const double diff = std::abs(r.rewards[i] - r.rewards[j]);
        pairs += 1.0;
        if (diff == 0.0) tie_pairs += 1.0;
        else d.quantum = std::min(d.quantum, diff);
      }
    within += variance_of(r.rewards);
    batch_means.push_back(mean_of(r.rewards));
    edit_corr += pearson(r.rewards, edited);
    d.rewards.push_back(r.rewards);
    d.edited.push_back(edited);
    if (credit) {
      std::vector<double> predicted;
      for (const std::vector<method::Augmented>& sample : r.samples) {
        const std::vector<double> c = trainer.sequence_credits(sample, r.rows, b);
        double sum = 0.0, sq = 0.0;
        for (double v : c) sum += v;
        for (double v : c) sq += (v - sum / double(c.size())) * (v - sum / double(c.size()));
        predicted.push_back(sum);
        d.credit_spread += std::sqrt(sq / double(c.size()));
        d.credit_total += std::abs(sum);
      }
      d.predicted.push_back(predicted);
    }
  }
  const double S = double(config.samples), B = double(batches);
  d.seconds_per_reward =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / (B * (S + (config.paired ? 1.0 : 0.0)));
  std::vector<double> all;
  for (const auto& r : d.rewards) all.insert(all.end(), r.begin(), r.end());
  d.mean = mean_of(all);
  d.std = std::sqrt(variance_of(all));
  d.var_actions = within / B;
  d.var_other = std::max(0.0, variance_of(batch_means) - d.var_actions / S);
  d.snr = d.var_other > 0.0 ? d.var_actions / d.var_other : std::numeric_limits<double>::infinity();
  if (!std::isfinite(d.quantum)) d.quantum = 0.0;
  d.ties = pairs > 0.0 ? tie_pairs / pairs : 0.0;
  d.edit_correlation = edit_corr / B;
  if (credit) {
    std::vector<double> measured, predicted;  // centred on their batch's mean, pooled
    for (size_t b = 0; b < d.rewards.size(); ++b) {
      const double mr = mean_of(d.rewards[b]), mp = mean_of(d.predicted[b]);
      for (size_t i = 0; i < d.rewards[b].size(); ++i) {
        measured.push_back(d.rewards[b][i] - mr);
        predicted.push_back(d.predicted[b][i] - mp);
      }
    }
    d.credit_correlation = pearson(predicted, measured);
    d.credit_spread /= B * S;
    d.credit_total /= B * S;
  }
  return d;
}

nlohmann::json RewardValidationLink::to_json() const {
  return {{"intervals", intervals},
          {"correlation", correlation},
          {"summed_reward", summed_reward},
          {"validation_change", validation_change}};
}

RewardValidationLink reward_validation_link(const std::vector<method::L2AugLogRow>& log) {
  RewardValidationLink link;
  const method::L2AugLogRow* last = nullptr;  // the previous validated row
  double summed = 0.0;
  for (const method::L2AugLogRow& row : log) {
    if (row.iteration >= 0) summed += row.reward;
    if (!row.validated) continue;
    if (last) {
      link.summed_reward.push_back(summed);
      link.validation_change.push_back(row.criterion - last->criterion);
    }
    last = &row;
    summed = 0.0;
  }
  link.intervals = std::int64_t(link.summed_reward.size());
  link.correlation = link.intervals >= 3 ? pearson(link.summed_reward, link.validation_change) : 0.0;
  return link;
}

}  // namespace l2::app
