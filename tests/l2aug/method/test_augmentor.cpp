#include <boost/test/unit_test.hpp>

#include "../../autograd/gradcheck_util.h"
#include "l2aug/method/augmentor.h"
#include "l2aug/method/reinforce.h"
#include "tensor/functional.h"

using namespace l2;
using namespace l2::method;

namespace {
const std::vector<Action> kAll = {Action::keep, Action::drop, Action::substitute, Action::insert, Action::reorder};

std::vector<std::int32_t> run(const std::vector<std::int32_t>& seq, const std::vector<std::int32_t>& actions,
                              const ItemCorrelation* c = nullptr, std::int64_t first = 0) {
  return apply_actions(seq, first, actions, kAll, c).items;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(augmentor_suite)

BOOST_AUTO_TEST_CASE(each_action_on_hand_made_sequences) {
  // Correlated pairs: 1-2 and 3-4 (users {1,2}, {3,4}); 9 has no partner.
  const std::vector<std::vector<std::int32_t>> users = {{1, 2}, {3, 4}, {9}};
  std::vector<std::span<const std::int32_t>> spans(users.begin(), users.end());
  const ItemCorrelation c(spans, 9, 2);
  const std::vector<std::int32_t> s = {1, 3, 9, 2};
  using V = std::vector<std::int32_t>;
  BOOST_TEST(run(s, {0, 0, 0, 0}) == (V{1, 3, 9, 2}));            // keep all
  BOOST_TEST(run(s, {0, 1, 0, 1}) == (V{1, 9}));                  // drop 3 and 2
  BOOST_TEST(run(s, {2, 0, 2, 0}, &c) == (V{2, 3, 9, 2}));        // substitute 1 -> 2; 9 has none: kept
  BOOST_TEST(run(s, {0, 3, 0, 0}, &c) == (V{1, 3, 4, 9, 2}));     // insert 4 after 3
  BOOST_TEST(run(s, {4, 0, 0, 0}) == (V{3, 1, 9, 2}));            // 1 moves one place later
  BOOST_TEST(run(s, {0, 0, 0, 4}) == (V{1, 3, 9, 2}));            // the last item has nowhere to go
  BOOST_TEST(run(s, {1, 4, 0, 0}) == (V{9, 3, 2}));               // after a drop, 3 swaps with 9
  // A window: only the last two items are decided; the first two are kept as they are.
  BOOST_TEST(run(s, {1, 1}, nullptr, 2) == (V{1, 3}));
}

// Note [Minimum length]: at least 2 items remain; the most recent dropped items come back.
BOOST_AUTO_TEST_CASE(minimum_length_rule) {
  using V = std::vector<std::int32_t>;
  BOOST_TEST(run({5, 6, 7, 8}, {1, 1, 1, 1}) == (V{7, 8}));
  BOOST_TEST(run({5, 6, 7, 8}, {0, 1, 1, 1}) == (V{5, 8}));
  BOOST_TEST(run({5, 6}, {1, 1}) == (V{5, 6}));
  const Augmented a = apply_actions(std::vector<std::int32_t>{5, 6, 7}, 0, std::vector<std::int32_t>{1, 1, 1}, kAll, nullptr);
  BOOST_TEST((a.actions == std::vector<std::int32_t>{1, 1, 1}));  // the sampled actions are recorded as sampled
}

// The policy's log-probabilities are differentiable end to end: a gradient check of log pi(a|h)
// summed over chosen actions, with respect to every augmentor parameter.
BOOST_AUTO_TEST_CASE(policy_log_probabilities_gradcheck) {
  AugmentorConfig c;
  c.dim = 6;
  c.maxlen = 8;
  c.actions = {Action::keep, Action::drop, Action::substitute};
  Augmentor policy(c, 12);
  const std::vector<std::vector<std::int32_t>> seqs = {{3, 5, 7, 9}, {1, 12}};
  std::vector<std::span<const std::int32_t>> spans(seqs.begin(), seqs.end());
  const PolicyBatch b = policy.make_batch(spans);
  Tensor taken = Tensor::zeros(Shape{b.B, b.T, 3});
  for (std::int64_t r = 0; r < b.B; ++r)
    for (std::int64_t k = 0; k < b.length[size_t(r)]; ++k) taken[(r * b.T + b.T - b.length[size_t(r)] + k) * 3 + (k % 3)] = 1.0f;
  const GradcheckResult g = gradcheck_leaves([&] { return sum(mul(log_softmax(policy.logits(b)), constant(taken))); },
                                             policy.parameters());
  BOOST_TEST(g.ok, g.report);
  // Positions count from each sequence's start; padding is flagged.
  BOOST_TEST(b.positions[b.T - 1] == 3);
  BOOST_TEST(b.padding[b.T] == 1);
  BOOST_TEST(b.positions[2 * b.T - 1] == 1);
}

namespace {
// Mean p(drop) over the decisions on the marked item 7 (marked) or on any other item.
double drop_probability(const Augmentor& policy, std::span<const std::span<const std::int32_t>> spans, bool marked) {
  PolicyStep step = run_policy(policy, spans, nullptr, true, 1, 0, false);
  const Tensor& p = step.probs;
  double sum = 0, n = 0;
  for (std::int64_t r = 0; r < step.batch.B; ++r)
    for (std::int64_t k = 0; k < step.batch.length[size_t(r)]; ++k) {
      const std::int64_t col = step.batch.T - step.batch.length[size_t(r)] + k;
      if ((step.batch.items[r * step.batch.T + col] == 7) != marked) continue;
      sum += p[(r * step.batch.T + col) * 2 + 1];
      n += 1;
    }
  return sum / n;
}
}  // namespace

// REINFORCE learns a toy problem whose best action is known: the batch's reward is the fraction of
// its decisions that drop the marked item 7 or keep any other item. One scalar reward for 40
// decisions is a weak signal, and a trajectory that stops exploring before it tells item 7 apart
// stays there (keeping everything already earns 0.8); which trajectories do depends on the last
// bits of the kernels. So the check runs six seeds (data, initialisation and sampling), with the
// entropy bonus that keeps exploration alive, and asserts on their mean with margins that one
// stuck seed, let alone rounding, cannot cross.
BOOST_AUTO_TEST_CASE(reinforce_learns_to_drop_the_marked_item, *boost::unit_test::label("learning")) {
  double marked_sum = 0, other_sum = 0;
  const std::vector<std::uint64_t> seeds = {3, 4, 5, 6, 7, 8};
  for (std::uint64_t seed : seeds) {
    AugmentorConfig c;
    c.dim = 16;
    c.maxlen = 10;
    c.seed = seed;
    Augmentor policy(c, 10);
    ReinforceOptions o;
    o.lr = 0.01f;
    o.baseline = true;
    o.normalize = true;
    o.entropy = 0.2f;
    Reinforce learner(policy, o);
    Generator g(seed);
    std::vector<std::vector<std::int32_t>> seqs(8);
    for (auto& s : seqs) {
      for (int k = 0; k < 5; ++k) s.push_back(std::int32_t(g.integer(1, 7)));  // items 1..6
      s[size_t(g.integer(0, 5))] = 7;                                           // one marked item
    }
    std::vector<std::span<const std::int32_t>> spans(seqs.begin(), seqs.end());
    for (int it = 0; it < 3000; ++it) {
      PolicyStep step = run_policy(policy, spans, nullptr, false, seed + 100, std::uint64_t(it), true);
      double correct = 0, decisions = 0;
      for (size_t r = 0; r < seqs.size(); ++r)
        for (size_t k = 0; k < seqs[r].size(); ++k) {
          correct += (step.augmented[r].actions[k] == 1) == (seqs[r][k] == 7);
          decisions += 1;
        }
      learner.update(step, correct / decisions);
    }
    const double marked = drop_probability(policy, spans, true), other = drop_probability(policy, spans, false);
    BOOST_TEST_MESSAGE("seed " << seed << ": p(drop | marked) " << marked << ", p(drop | other) " << other);
    marked_sum += marked;
    other_sum += other;
  }
  BOOST_TEST(marked_sum / double(seeds.size()) > 0.75);
  BOOST_TEST(other_sum / double(seeds.size()) < 0.2);
}

// Note [Advantage]: the first reward only starts the baseline, and a reward after a run of
// constant ones (zero spread) gets a bounded normalised advantage, not one of 1e4.
BOOST_AUTO_TEST_CASE(normalised_advantages_are_bounded_after_constant_rewards) {
  AugmentorConfig c;
  c.dim = 4;
  c.maxlen = 4;
  Augmentor policy(c, 5);
  ReinforceOptions o;
  o.baseline = true;
  o.normalize = true;
  Reinforce learner(policy, o);
  const std::vector<std::vector<std::int32_t>> seqs = {{1, 2, 3}};
  std::vector<std::span<const std::int32_t>> spans(seqs.begin(), seqs.end());
  BOOST_TEST(learner.advantage(0.7) == 0.0);  // no baseline yet
  for (int it = 0; it < 50; ++it) {
    PolicyStep step = run_policy(policy, spans, nullptr, false, 1, std::uint64_t(it), true);
    const ReinforceStats s = learner.update(step, 0.7);
    BOOST_TEST(std::fabs(s.advantage) <= Reinforce::kAdvantageClip);
  }
  BOOST_TEST(learner.advantage(0.7 - 0.05) == -Reinforce::kAdvantageClip);
  BOOST_TEST(learner.advantage(0.7 + 0.05) == Reinforce::kAdvantageClip);
  BOOST_TEST(std::fabs(learner.advantage(0.7)) < 1e-6);
  // Without normalisation the advantage is the centred reward itself.
  o.normalize = false;
  Reinforce plain(policy, o);
  PolicyStep step = run_policy(policy, spans, nullptr, false, 1, 0, true);
  plain.update(step, 0.5);
  BOOST_TEST(plain.advantage(0.75) == 0.25);
}

// Note [Policy buckets]: the policy runs on groups of rows of similar length; every row's
// distributions must be those of the whole batch run at once (its own items, its own positions).
BOOST_AUTO_TEST_CASE(policy_buckets_give_each_row_the_whole_batch_distributions) {
  AugmentorConfig c;
  c.dim = 8;
  c.maxlen = 30;
  Augmentor policy(c, 50);
  std::vector<std::vector<std::int32_t>> seqs;
  for (std::int32_t r = 0; r < 60; ++r) {  // 40 short rows (2-4 items), 20 long ones (25-44, some beyond the window of 30)
    std::vector<std::int32_t> s;
    const std::int32_t n = r % 3 == 2 ? 25 + (r * 13) % 20 : 2 + r % 3 + (r / 3) % 2;
    for (std::int32_t k = 0; k < n; ++k) s.push_back(1 + (r * 7 + k * 3) % 50);
    seqs.push_back(s);
  }
  std::vector<std::span<const std::int32_t>> spans(seqs.begin(), seqs.end());
  const PolicyStep step = run_policy(policy, spans, nullptr, false, 1, 0, true);
  BOOST_TEST(step.buckets.size() > 1u);
  std::size_t rows = 0;
  for (const PolicyBucket& b : step.buckets) rows += b.rows.size();
  BOOST_TEST(rows == seqs.size());
  const PolicyBatch whole = policy.make_batch(spans);
  const Tensor p = fn::softmax(policy.logits(whole)->value);
  float worst = 0.0f;
  for (std::int64_t r = 0; r < whole.B; ++r)
    for (std::int64_t k = 0; k < whole.length[size_t(r)]; ++k)
      for (std::int64_t a = 0; a < 2; ++a) {
        const std::int64_t at = (r * whole.T + whole.T - whole.length[size_t(r)] + k) * 2 + a;
        worst = std::max(worst, std::fabs(p[at] - step.probs[at]));
      }
  BOOST_TEST(worst < 1e-5f);
}

BOOST_AUTO_TEST_CASE(action_lists_parse_and_reject_nonsense) {
  BOOST_TEST(parse_actions("keep,drop,substitute").size() == 3u);
  BOOST_CHECK_THROW(parse_actions("keep"), Error);
  BOOST_CHECK_THROW(parse_actions("keep,keep"), Error);
  BOOST_CHECK_THROW(parse_actions("keep,explode"), Error);
}

BOOST_AUTO_TEST_SUITE_END()
