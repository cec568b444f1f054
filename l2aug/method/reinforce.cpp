#include "l2aug/method/reinforce.h"

#include <algorithm>
#include <cmath>

#include "tensor/functional.h"

namespace l2::method {

PolicyStep run_policy(const Augmentor& policy, std::span<const std::span<const std::int32_t>> sequences,
                      const ItemCorrelation* correlation, bool greedy, std::uint64_t seed, std::uint64_t stream,
                      bool record_graph) {
  PolicyStep step;
  step.batch = policy.make_batch(sequences);
  {
    std::unique_ptr<NoGradGuard> guard = record_graph ? nullptr : std::make_unique<NoGradGuard>();
    step.logits = policy.logits(step.batch);
  }
  const Tensor probs = fn::softmax(step.logits->value);  // [B, T, A]
  const std::int64_t B = step.batch.B, T = step.batch.T, A = policy.num_actions();
  const std::span<const Action> set = policy.config().actions;
  step.mean_probs.assign(size_t(A), 0.0);
  std::int64_t decisions = 0;
  const Generator base(seed, stream);
  for (std::int64_t r = 0; r < B; ++r) {
    Generator g = base.fork(std::uint64_t(r));
    const std::int64_t n = step.batch.length[size_t(r)];
    std::vector<std::int32_t> actions(static_cast<size_t>(n));
    for (std::int64_t k = 0; k < n; ++k) {
      const float* p = probs.data() + (r * T + (T - n + k)) * A;
      std::int64_t a = 0;
      if (greedy) {
        for (std::int64_t j = 1; j < A; ++j) a = p[j] > p[a] ? j : a;
      } else {
        a = g.categorical(p, A);
      }
      actions[size_t(k)] = std::int32_t(a);
      for (std::int64_t j = 0; j < A; ++j) {
        step.mean_probs[size_t(j)] += p[j];
        if (p[j] > 0.0f) step.entropy -= double(p[j]) * std::log(double(p[j]));
      }
      ++decisions;
    }
    step.augmented.push_back(apply_actions(sequences[size_t(r)], step.batch.offset[size_t(r)], actions, set, correlation));
  }
  for (double& m : step.mean_probs) m /= double(std::max<std::int64_t>(1, decisions));
  step.entropy /= double(std::max<std::int64_t>(1, decisions));
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
  L2_CHECK(step.logits && step.logits->requires_grad, "Reinforce::update: the policy step was run without its graph");
  ReinforceStats s;
  s.reward = reward;
  s.baseline = baseline_;
  s.advantage = advantage(reward);
  // Moving averages of r and r^2 (updated after use, so a reward never baselines itself).
  const double d = updates_ == 0 ? 0.0 : o_.baseline_decay;
  baseline_ = d * baseline_ + (1.0 - d) * reward;
  second_moment_ = d * second_moment_ + (1.0 - d) * reward * reward;
  ++updates_;

  const std::int64_t B = step.batch.B, T = step.batch.T, A = policy_.num_actions();
  // One-hot of the taken actions at real positions, and the real-position mask.
  Tensor taken = Tensor::zeros(Shape{B, T, A}), real = Tensor::zeros(Shape{B, T, 1});
  std::int64_t decisions = 0;
  for (std::int64_t r = 0; r < B; ++r) {
    const std::int64_t n = step.batch.length[size_t(r)];
    for (std::int64_t k = 0; k < n; ++k) {
      const std::int64_t col = T - n + k;
      taken[(r * T + col) * A + step.augmented[size_t(r)].actions[size_t(k)]] = 1.0f;
      real[r * T + col] = 1.0f;
      ++decisions;
    }
  }
  Var logp = log_softmax(step.logits);
  // Objective to maximise: advantage * sum log pi(a) / B + entropy * mean H; Adam minimises its negative.
  Var objective = scale(sum(mul(logp, constant(taken))), float(s.advantage / double(B)));
  if (o_.entropy > 0.0f) {
    Var h = scale(sum(mul(mul(softmax(step.logits), logp), constant(real))), -1.0f / float(std::max<std::int64_t>(1, decisions)));
    objective = add(objective, scale(h, o_.entropy));
  }
  Var loss = neg(objective);
  s.loss = loss->value.item();
  nn::gradient_step(loss, adam_);  // zeroes the policy's gradients after the step
  step.logits = nullptr;  // the graph is spent
  return s;
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
