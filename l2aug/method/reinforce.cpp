#include "l2aug/method/reinforce.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "recsys/data/batch.h"
#include "tensor/functional.h"

namespace l2::method {

const char* policy_kind_name(PolicyKind k) {
  switch (k) {
    case PolicyKind::learned: return "learned";
    case PolicyKind::keep_all: return "keep_all";
    case PolicyKind::uniform: return "uniform";
  }
  return "?";
}

PolicyKind parse_policy_kind(const std::string& name) {
  for (PolicyKind k : {PolicyKind::learned, PolicyKind::keep_all, PolicyKind::uniform})
    if (name == policy_kind_name(k)) return k;
  L2_FAIL("unknown policy '" << name << "' (known: learned, keep_all, uniform)");
}

namespace {
// Draws an action per decided item from step.probs (or takes the most probable) and applies them.
std::vector<Augmented> draw(const PolicyStep& step, std::span<const std::span<const std::int32_t>> sequences,
                            std::span<const Action> set, const ItemCorrelation* correlation, bool greedy,
                            std::uint64_t seed, std::uint64_t stream) {
  const std::int64_t B = step.batch.B, T = step.batch.T, A = std::int64_t(set.size());
  std::vector<Augmented> out;
  const Generator base(seed, stream);
  for (std::int64_t r = 0; r < B; ++r) {
    Generator g = base.fork(std::uint64_t(r));
    const std::int64_t n = step.batch.length[size_t(r)];
    std::vector<std::int32_t> actions(static_cast<size_t>(n));
    for (std::int64_t k = 0; k < n; ++k) {
      const float* p = step.probs.data() + (r * T + (T - n + k)) * A;
      std::int64_t a = 0;
      if (greedy) {
        for (std::int64_t j = 1; j < A; ++j) a = p[j] > p[a] ? j : a;
      } else {
        a = g.categorical(p, A);
      }
      actions[size_t(k)] = std::int32_t(a);
    }
    out.push_back(apply_actions(sequences[size_t(r)], step.batch.offset[size_t(r)], actions, set, correlation));
  }
  return out;
}

// The mean probability of each action and the mean entropy over the decisions of the batch.
void summarise(PolicyStep& step, std::int64_t A) {
  const std::int64_t B = step.batch.B, T = step.batch.T;
  step.mean_probs.assign(size_t(A), 0.0);
  std::int64_t decisions = 0;
  for (std::int64_t r = 0; r < B; ++r) {
    const std::int64_t n = step.batch.length[size_t(r)];
    for (std::int64_t k = 0; k < n; ++k) {
      const float* p = step.probs.data() + (r * T + (T - n + k)) * A;
      for (std::int64_t j = 0; j < A; ++j) {
        step.mean_probs[size_t(j)] += p[j];
        if (p[j] > 0.0f) step.entropy -= double(p[j]) * std::log(double(p[j]));
      }
      ++decisions;
    }
  }
  for (double& m : step.mean_probs) m /= double(std::max<std::int64_t>(1, decisions));
  step.entropy /= double(std::max<std::int64_t>(1, decisions));
}
}  // namespace

PolicyStep run_policy(const Augmentor& policy, std::span<const std::span<const std::int32_t>> sequences,
                      const ItemCorrelation* correlation, bool greedy, std::uint64_t seed, std::uint64_t stream,
                      bool record_graph) {
  PolicyStep step;
  step.batch = policy.make_batch(sequences);
  const std::int64_t T = step.batch.T, A = policy.num_actions();
  step.probs = Tensor::zeros(Shape{step.batch.B, T, A});  // [B, T, A]; padding stays 0
  std::unique_ptr<NoGradGuard> guard = record_graph ? nullptr : std::make_unique<NoGradGuard>();
  for (std::vector<std::int32_t>& rows : recsys::length_buckets(step.batch.length)) {
    PolicyBucket bucket;
    std::vector<std::span<const std::int32_t>> mine;
    for (std::int32_t r : rows) mine.push_back(sequences[size_t(r)]);
    bucket.batch = policy.make_batch(mine);
    bucket.logits = policy.logits(bucket.batch);
    const Tensor p = fn::softmax(bucket.logits->value);
    const std::int64_t Tb = bucket.batch.T;  // a row's real columns are the last ones in both layouts
    for (size_t j = 0; j < rows.size(); ++j)
      std::copy_n(p.data() + std::int64_t(j) * Tb * A, Tb * A, step.probs.data() + (rows[j] * T + T - Tb) * A);
    bucket.rows = std::move(rows);
    step.buckets.push_back(std::move(bucket));
  }
  step.augmented = draw(step, sequences, policy.config().actions, correlation, greedy, seed, stream);
  summarise(step, policy.num_actions());
  return step;
}

std::vector<Augmented> sample_again(const PolicyStep& step, std::span<const std::span<const std::int32_t>> sequences,
                                    std::span<const Action> action_set, const ItemCorrelation* correlation,
                                    std::uint64_t seed, std::uint64_t stream) {
  return draw(step, sequences, action_set, correlation, false, seed, stream);
}

PolicyStep control_step(PolicyKind kind, const Augmentor& policy, std::span<const std::span<const std::int32_t>> sequences,
                        const ItemCorrelation* correlation, std::uint64_t seed, std::uint64_t stream) {
  L2_CHECK(kind != PolicyKind::learned, "control_step: the learned policy is run by run_policy");
  const std::span<const Action> set = policy.config().actions;
  const std::int64_t A = std::int64_t(set.size());
  const auto keep = std::find(set.begin(), set.end(), Action::keep);
  L2_CHECK(kind != PolicyKind::keep_all || keep != set.end(),
           "L2Aug setting 'policy' keep_all needs 'keep' among the actions, got '" << actions_text({set.begin(), set.end()}) << "'");
  PolicyStep step;
  step.batch = policy.make_batch(sequences);
  step.probs = Tensor::zeros(Shape{step.batch.B, step.batch.T, A});
  float* p = step.probs.data();
  for (std::int64_t c = 0; c < step.batch.B * step.batch.T; ++c)
    for (std::int64_t j = 0; j < A; ++j)
      p[c * A + j] = kind == PolicyKind::uniform ? 1.0f / float(A) : (set[size_t(j)] == Action::keep ? 1.0f : 0.0f);
  step.augmented = draw(step, sequences, set, correlation, kind == PolicyKind::keep_all, seed, stream);
  summarise(step, A);
  return step;
}

Reinforce::Reinforce(Augmentor& policy, const ReinforceOptions& o)
    : policy_(policy), o_(o), adam_(policy.named_parameters(), [&] {
        nn::AdamOptions a;
        a.lr = o.lr;
        return a;
      }()) {}

// Note [Advantage]: with the baseline on, the first reward only starts the average (an advantage
// of r itself would reinforce whatever the first batch sampled). Normalisation divides by the
// moving standard deviation, which needs two rewards before it exists and is near zero whenever
// the rewards have been nearly constant (a policy close to deterministic); dividing by it then
// turned one unlucky sample into an advantage of 1e4 or more, and Adam, which scales each
// parameter's step by its own gradient history, moved every parameter by tenths at once: the
// policy saturated on wrong actions and, sampling them no more, never recovered. So the
// normalised advantage waits for two rewards, its scale is floored at a small fraction of the
// rewards' root mean square, and it is clipped to +-kAdvantageClip.
double Reinforce::advantage(double reward) const {
  if (o_.baseline && updates_ == 0) return 0.0;  // the first reward only starts the average
  const double a = reward - (o_.baseline ? baseline_ : 0.0);
  if (!o_.normalize) return a;
  if (updates_ < 2) return 0.0;  // no spread to divide by yet
  const double var = second_moment_ - (o_.baseline ? baseline_ * baseline_ : 0.0);
  const double floor = kScaleFloor * std::sqrt(second_moment_) + 1e-12;
  return std::clamp(a / std::max(std::sqrt(std::max(var, 0.0)), floor), -kAdvantageClip, kAdvantageClip);
}

ReinforceStats Reinforce::update(PolicyStep& step, double reward) {
  std::vector<std::vector<Augmented>> samples(1);
  samples[0] = std::move(step.augmented);
  const double rewards[] = {reward};
  const ReinforceStats s = update(step, samples, rewards);
  step.augmented = std::move(samples[0]);
  return s;
}

namespace {
void require_graph(const PolicyStep& step) {
  L2_CHECK(!step.buckets.empty() && step.buckets[0].logits && step.buckets[0].logits->requires_grad,
           "Reinforce: the policy step was run without its graph");
}
}  // namespace

ReinforceStats Reinforce::update(PolicyStep& step, std::span<const std::vector<Augmented>> samples,
                                 std::span<const double> rewards) {
  require_graph(step);
  L2_CHECK(!samples.empty() && samples.size() == rewards.size(), "Reinforce::update: one reward per sample of actions");
  const size_t S = samples.size();
  L2_CHECK(S == 1 || (!o_.baseline && !o_.normalize),
           "REINFORCE with several samples of a batch uses the leave-one-out baseline: turn 'baseline' and 'normalize' off");
  double mean_reward = 0.0;
  for (double r : rewards) mean_reward += r;
  mean_reward /= double(S);
  // Advantages: the moving-average rule for one sample (Note [Advantage]), else leave-one-out.
  std::vector<double> advantages(S);
  if (S == 1) {
    advantages[0] = advantage(rewards[0]);
  } else {
    for (size_t i = 0; i < S; ++i) advantages[i] = (rewards[i] - mean_reward) * double(S) / double(S - 1);
  }
  ReinforceStats s;
  s.reward = mean_reward;
  s.baseline = baseline_;
  s.advantage = advantages[0];
  // Moving averages of r and r^2 (updated after use, so a reward never baselines itself).
  const double d = updates_ == 0 ? 0.0 : o_.baseline_decay;
  baseline_ = d * baseline_ + (1.0 - d) * mean_reward;
  second_moment_ = d * second_moment_ + (1.0 - d) * mean_reward * mean_reward;
  ++updates_;

  // One sample: a one-hot of the taken actions, the advantage applied to the sum; several: each
  // sample's actions weighted by its advantage / S.
  s.loss = ascend(step, samples, [&](size_t i, size_t) { return S == 1 ? 1.0 : advantages[i] / double(S); },
                  S == 1 ? advantages[0] : 1.0);
  return s;
}

ReinforceStats Reinforce::update_per_sequence(PolicyStep& step, const std::vector<Augmented>& sample,
                                              std::span<const double> credits) {
  require_graph(step);
  L2_CHECK(std::int64_t(credits.size()) == step.batch.B, "Reinforce::update_per_sequence: " << credits.size()
                                                                                             << " credits for " << step.batch.B << " sequences");
  // Advantages standardised within the batch: what a row did better or worse than the batch's
  // other rows (the batch's mean is its baseline), in units of the batch's spread, clipped.
  double mean = 0.0, var = 0.0, rms = 0.0;
  for (double c : credits) mean += c / double(credits.size());
  for (double c : credits) {
    var += (c - mean) * (c - mean) / double(credits.size());
    rms += c * c / double(credits.size());
  }
  const double spread = std::max(std::sqrt(var), kScaleFloor * std::sqrt(rms) + 1e-30);
  std::vector<double> advantages(credits.size());
  for (size_t r = 0; r < credits.size(); ++r)
    advantages[r] = std::clamp((credits[r] - mean) / spread, -kAdvantageClip, kAdvantageClip);
  ReinforceStats s;
  s.reward = mean;
  s.advantage = std::sqrt(var);  // the spread of the credits
  const std::vector<Augmented>* samples = &sample;
  s.loss = ascend(step, std::span<const std::vector<Augmented>>(samples, 1),
                  [&](size_t, size_t r) { return advantages[r]; }, 1.0);
  return s;
}

// Note [Policy objective]: maximises factor * sum_{rows, decisions} w(sample, row) log pi(a) / B
// (+ entropy * mean H), B the batch's rows, by one Adam step on its negative; returns that loss.
double Reinforce::ascend(PolicyStep& step, std::span<const std::vector<Augmented>> samples,
                         const std::function<double(size_t, size_t)>& weight, double factor) {
  const std::int64_t B = step.batch.B, A = policy_.num_actions();
  std::int64_t decisions = 0;
  for (std::int64_t n : step.batch.length) decisions += n;
  Var objective;
  for (PolicyBucket& bucket : step.buckets) {
    const std::int64_t Bb = std::int64_t(bucket.rows.size()), T = bucket.batch.T;
    Tensor taken = Tensor::zeros(Shape{Bb, T, A}), real = Tensor::zeros(Shape{Bb, T, 1});
    for (std::int64_t j = 0; j < Bb; ++j) {
      const auto r = size_t(bucket.rows[size_t(j)]);
      const std::int64_t n = step.batch.length[r];
      for (std::int64_t k = 0; k < n; ++k) {
        const std::int64_t col = T - n + k;
        real[j * T + col] = 1.0f;
        for (size_t i = 0; i < samples.size(); ++i)
          taken[(j * T + col) * A + samples[i][r].actions[size_t(k)]] += float(weight(i, r));
      }
    }
    Var logp = log_softmax(bucket.logits);
    Var term = scale(sum(mul(logp, constant(taken))), float(factor / double(B)));
    if (o_.entropy > 0.0f) {
      Var h = scale(sum(mul(mul(softmax(bucket.logits), logp), constant(real))), -1.0f / float(std::max<std::int64_t>(1, decisions)));
      term = add(term, scale(h, o_.entropy));
    }
    objective = objective ? add(objective, term) : term;
  }
  Var loss = neg(objective);
  const double value = loss->value.item();
  nn::gradient_step(loss, adam_);  // zeroes the policy's gradients after the step
  for (PolicyBucket& bucket : step.buckets) bucket.logits = nullptr;  // the graph is spent
  return value;
}

nn::StateDict Reinforce::state() const {
  nn::StateDict s = adam_.state().extract("");
  s.set_double("baseline", baseline_);
  s.set_double("second_moment", second_moment_);
  s.set_int("updates", updates_);
  return s;
}

void Reinforce::load_state(const nn::StateDict& s) {
  adam_.load_state(s);
  baseline_ = s.get_double("baseline");
  second_moment_ = s.get_double("second_moment");
  updates_ = s.get_int("updates");
}

}  // namespace l2::method
