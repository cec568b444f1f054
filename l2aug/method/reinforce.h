// Policy optimisation of the augmentor (Section 4.3): REINFORCE with the reward of a whole batch
// assigned to every decision in it (Eq. 7),
//   grad J = r_t * sum_{u in S_B} sum_k grad log pi(a_uk | h_k),   theta <- theta + alpha grad J (Eq. 6),
// taken by Adam. The sum is divided by the number of sequences (a constant factor, so the update
// direction is the paper's; it keeps the step size independent of B).
// Options beyond the paper, off by default so that the default is the paper's estimator:
//   baseline     subtract a moving average of past rewards from r_t (variance reduction)
//   normalize    divide the advantage by a moving estimate of the reward's standard deviation
//   entropy      add beta * the mean policy entropy to the objective (keeps the policy from collapsing)
//   several samples of the same batch (S > 1): each sample s of actions gets the leave-one-out
//                advantage r_s - mean_{j != s} r_j, and grad J averages the S samples' terms; what
//                the S samples share (the batch, its negatives and dropout) cancels
//   per-sequence credit (update_per_sequence): each row's decisions get their own advantage, from
//                a first-order credit of that row's augmentation (sequence_credit.h)
//
// Policies for controls (Algorithm 1's schedule with a policy that does not learn): keep_all keeps
// every item, so the "augmented" batch is the original batch bit for bit; uniform draws each
// action uniformly from the action set, a frozen random policy.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "l2aug/method/augmentor.h"
#include "nn/optim.h"

namespace l2::method {

enum class PolicyKind { learned, keep_all, uniform };
const char* policy_kind_name(PolicyKind k);
PolicyKind parse_policy_kind(const std::string& name);  // throws naming the known kinds

struct ReinforceOptions {
  float lr = 1e-3f;
  bool baseline = false;
  float baseline_decay = 0.9f;
  bool normalize = false;
  float entropy = 0.0f;
};

// One group of a batch's rows of similar length and the policy's logits on them.
// Note [Policy buckets]: like the recommender's step (Note [Length buckets within a step] in
// recsys/train/step.h), the policy runs on rows grouped by length (recsys::length_buckets), each
// group only as wide as its longest row: on real data a batch as wide as its longest sequence is
// mostly padding. A row's logits do not depend on its group (its attention reads only its own
// items, its positions count from its own start).
struct PolicyBucket {
  std::vector<std::int32_t> rows;  // rows of the whole batch, ascending by length
  PolicyBatch batch;               // those rows alone
  Var logits;                      // [rows, T_bucket, A], with its graph when the step records one
};

// The decisions of one batch: the policy's logits (with their graph, for the update), the
// sampled actions, and the augmented sequences they produced.
struct PolicyStep {
  PolicyBatch batch;                   // every row, [B, T]: the layout of probs
  std::vector<PolicyBucket> buckets;   // the policy's run (Note [Policy buckets]); empty for the controls
  Tensor probs;                        // [B, T, A] the action distributions the samples are drawn from
  std::vector<Augmented> augmented;    // per sequence
  std::vector<double> mean_probs;      // per action, over all decisions of the batch
  double entropy = 0.0;                // mean entropy of the decision distributions
};

// Runs the policy on `sequences` and samples an action per item (or takes the most probable one
// when `greedy`). Draws come from Generator(seed, stream).fork(row): one stream per sequence.
PolicyStep run_policy(const Augmentor& policy, std::span<const std::span<const std::int32_t>> sequences,
                      const ItemCorrelation* correlation, bool greedy, std::uint64_t seed, std::uint64_t stream,
                      bool record_graph);

// Another sample of actions from the distributions of `step` (the same sequences), with its own
// stream: for several samples of one batch without running the policy again.
std::vector<Augmented> sample_again(const PolicyStep& step, std::span<const std::span<const std::int32_t>> sequences,
                                    std::span<const Action> action_set, const ItemCorrelation* correlation,
                                    std::uint64_t seed, std::uint64_t stream);

// The step of a control policy (keep_all or uniform): the same batch layout and draws as
// run_policy, without logits. keep_all needs `keep` in the action set.
PolicyStep control_step(PolicyKind kind, const Augmentor& policy, std::span<const std::span<const std::int32_t>> sequences,
                        const ItemCorrelation* correlation, std::uint64_t seed, std::uint64_t stream);

struct ReinforceStats {
  double reward = 0.0, advantage = 0.0, baseline = 0.0, loss = 0.0;
};

class Reinforce {
 public:
  Reinforce(Augmentor& policy, const ReinforceOptions& options);
  // One gradient-ascent step on the decisions of `step` with the batch's reward.
  ReinforceStats update(PolicyStep& step, double reward);
  // One step on several samples of actions drawn from `step`'s distributions (`samples[0]` is
  // usually step.augmented), each with its reward; with one sample this is update(step, reward).
  // Several samples use the leave-one-out advantage; they exclude baseline and normalize.
  ReinforceStats update(PolicyStep& step, std::span<const std::vector<Augmented>> samples,
                        std::span<const double> rewards);
  // One step with a credit per sequence of `sample` (Note [Per-sequence credit] in
  // sequence_credit.h): row r's decisions get the advantage (c_r - mean c) / std c, clipped to
  // +-kAdvantageClip. Stats: reward = mean credit, advantage = the credits' spread.
  ReinforceStats update_per_sequence(PolicyStep& step, const std::vector<Augmented>& sample,
                                     std::span<const double> credits);
  nn::StateDict state() const;
  void load_state(const nn::StateDict& s);
  const ReinforceOptions& options() const { return o_; }
  // The advantage the next update would give `reward` (Note [Advantage] in reinforce.cpp).
  double advantage(double reward) const;

  static constexpr double kAdvantageClip = 5.0;  // in standard deviations
  static constexpr double kScaleFloor = 1e-3;    // of the rewards' root mean square

 private:
  // Note [Policy objective] (reinforce.cpp): one Adam step on the decisions of `samples`, each
  // row's taken actions weighted by weight(sample, row); returns the loss.
  double ascend(PolicyStep& step, std::span<const std::vector<Augmented>> samples,
                const std::function<double(size_t, size_t)>& weight, double factor);

  Augmentor& policy_;
  ReinforceOptions o_;
  nn::Adam adam_;
  double baseline_ = 0.0, second_moment_ = 0.0;
  std::int64_t updates_ = 0;
};

}  // namespace l2::method
