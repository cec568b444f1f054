// The LIRD memory simulator (l2aug/online/simulator.h) on hand-made memories whose answers are
// known: an exact match returns its own ratings, a near match the pattern it is near, alpha = 1
// reads only the state, the expectation is the probability-weighted mean of the patterns; the list
// reward formula (Eq. 4) and the state transition (Algorithm 3, lines 12-15).
#include <boost/test/unit_test.hpp>

#include "l2aug/online/replay_buffer.h"
#include "l2aug/online/simulator.h"
#include "tensor/random.h"

using namespace l2;
using namespace l2::online;
namespace tt = boost::test_tools;

namespace {

// Item i (1..V) is the unit vector e_i in D = V dimensions: cosines are counts of shared items
// at the same position, easy to work out by hand.
Tensor one_hot_embeddings(std::int64_t V) {
  Tensor E = Tensor::zeros(Shape{V + 1, V});
  for (std::int64_t i = 1; i <= V; ++i) E[i * V + (i - 1)] = 1.0f;
  return E;
}

// Three tuples, N = 2, K = 2, each with its own pattern; no two share an item at a position.
Memory three_tuples() {
  Memory m{2, 2, {}, {}, {}};
  m.add(std::vector<std::int32_t>{1, 2}, std::vector<std::int32_t>{3, 4}, std::vector<float>{5, 5});
  m.add(std::vector<std::int32_t>{5, 6}, std::vector<std::int32_t>{7, 8}, std::vector<float>{1, 2});
  m.add(std::vector<std::int32_t>{9, 10}, std::vector<std::int32_t>{11, 12}, std::vector<float>{4, 3});
  return m;
}

SimulatorConfig config(float alpha = 0.5f) {
  SimulatorConfig c;
  c.N = 2;
  c.K = 2;
  c.alpha = alpha;
  return c;
}

std::vector<float> rate_one(const MemorySimulator& sim, std::vector<std::int32_t> state, std::vector<std::int32_t> list) {
  const std::int64_t N = std::int64_t(state.size()), K = std::int64_t(list.size());
  return sim.rate(IndexTensor::from(Shape{1, N}, state), IndexTensor::from(Shape{1, K}, list)).to_vector();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(online_simulator_suite)

BOOST_AUTO_TEST_CASE(list_reward_is_the_discounted_sum_of_eq4) {
  const std::vector<float> r = {5, 4, 3};
  BOOST_TEST(list_reward(r, 0.9) == 5.0 + 0.9 * 4.0 + 0.81 * 3.0, tt::tolerance(1e-12));
  BOOST_TEST(list_reward(r, 1.0) == 12.0, tt::tolerance(1e-12));
  BOOST_TEST(list_reward(r, 0.0) == 5.0, tt::tolerance(1e-12));
  BOOST_TEST(list_reward(std::vector<float>{}, 0.9) == 0.0);
}

BOOST_AUTO_TEST_CASE(positive_items_enter_the_state_and_the_oldest_leave) {
  std::vector<std::int32_t> state = {1, 2, 3};
  const std::vector<std::int32_t> items = {7, 8, 9};
  const std::vector<float> ratings = {5.0f, 3.99f, 4.0f};  // 4 is positive, 3.99 is not
  BOOST_TEST(advance_state(state, items, ratings, 4.0f) == 2);
  BOOST_TEST(state == (std::vector<std::int32_t>{3, 7, 9}), tt::per_element());
  // Nothing positive: the state stays.
  BOOST_TEST(advance_state(state, items, std::vector<float>{1, 2, 3}, 4.0f) == 0);
  BOOST_TEST(state == (std::vector<std::int32_t>{3, 7, 9}), tt::per_element());
  // More positives than slots: the state is the last N of them.
  BOOST_TEST(advance_state(state, std::vector<std::int32_t>{11, 12, 13, 14}, std::vector<float>{5, 5, 5, 5}, 4.0f) == 4);
  BOOST_TEST(state == (std::vector<std::int32_t>{12, 13, 14}), tt::per_element());
}

BOOST_AUTO_TEST_CASE(state_before_keeps_the_most_recent_positives_left_padded) {
  const std::vector<std::int32_t> items = {1, 2, 3, 4, 5};
  const std::vector<float> ratings = {5, 1, 4, 2, 5};
  BOOST_TEST(state_before(items, ratings, 5, 2, 4.0f) == (std::vector<std::int32_t>{3, 5}), tt::per_element());
  BOOST_TEST(state_before(items, ratings, 4, 4, 4.0f) == (std::vector<std::int32_t>{0, 0, 1, 3}), tt::per_element());
  BOOST_TEST(state_before(items, ratings, 0, 2, 4.0f) == (std::vector<std::int32_t>{0, 0}), tt::per_element());
}

BOOST_AUTO_TEST_CASE(memory_tuples_of_a_sequence_follow_its_positives) {
  // Items 1..6 rated 5 1 5 5 2 4; N = 2, K = 2, actions starting in [1, 6).
  const std::vector<std::int32_t> items = {1, 2, 3, 4, 5, 6};
  const std::vector<float> ratings = {5, 1, 5, 5, 2, 4};
  Memory m{2, 2, {}, {}, {}};
  add_sequence_tuples(m, items, ratings, 1, 6, 4.0f);
  // t = 1: state [0 1], list [2 3]; t = 2: [0 1], [3 4]; t = 3: [1 3], [4 5]; t = 4: [3 4], [5 6].
  BOOST_TEST(m.size() == 4);
  BOOST_TEST(m.states == (std::vector<std::int32_t>{0, 1, 0, 1, 1, 3, 3, 4}), tt::per_element());
  BOOST_TEST(m.actions == (std::vector<std::int32_t>{2, 3, 3, 4, 4, 5, 5, 6}), tt::per_element());
  BOOST_TEST(m.ratings == (std::vector<float>{1, 5, 5, 5, 5, 2, 2, 4}), tt::per_element());
  // A position with no liked item before it makes no tuple (cos of a zero state is undefined).
  Memory n{2, 2, {}, {}, {}};
  add_sequence_tuples(n, items, ratings, 0, 6, 4.0f);
  BOOST_TEST(n.size() == 4);
}

BOOST_AUTO_TEST_CASE(consecutive_lists_make_transitions_whose_next_state_is_the_next_ones_state) {
  const std::vector<std::int32_t> items = {1, 2, 3, 4, 5};
  const std::vector<float> ratings = {5, 1, 4, 4, 5};
  const Transitions t = sequence_transitions(items, ratings, 2, 2, 4.0f);
  BOOST_TEST(t.size() == 2);  // [1 2], [3 4]; the tail [5] is no whole list
  BOOST_TEST(t.states == (std::vector<std::int32_t>{0, 0, 0, 1}), tt::per_element());
  BOOST_TEST(t.lists == (std::vector<std::int32_t>{1, 2, 3, 4}), tt::per_element());
  BOOST_TEST(t.next_states == (std::vector<std::int32_t>{0, 1, 3, 4}), tt::per_element());
}

BOOST_AUTO_TEST_CASE(patterns_are_grouped_in_lexicographic_order) {
  Memory m = three_tuples();
  m.add(std::vector<std::int32_t>{1, 6}, std::vector<std::int32_t>{3, 8}, std::vector<float>{1, 2});  // a second (1, 2)
  const MemorySimulator sim(m, one_hot_embeddings(12), config());
  BOOST_TEST_REQUIRE(sim.groups().size() == 3u);
  BOOST_TEST(sim.groups()[0].ratings == (std::vector<float>{1, 2}), tt::per_element());
  BOOST_TEST(sim.groups()[0].count == 2);
  BOOST_TEST(sim.groups()[1].ratings == (std::vector<float>{4, 3}), tt::per_element());
  BOOST_TEST(sim.groups()[2].ratings == (std::vector<float>{5, 5}), tt::per_element());
  BOOST_TEST(sim.memory_size() == 4);
}

BOOST_AUTO_TEST_CASE(an_exact_match_returns_its_own_ratings) {
  const Memory m = three_tuples();
  const MemorySimulator sim(m, one_hot_embeddings(12), config());
  for (std::int64_t i = 0; i < m.size(); ++i) {
    const std::vector<std::int32_t> s(m.states.begin() + i * 2, m.states.begin() + i * 2 + 2);
    const std::vector<std::int32_t> a(m.actions.begin() + i * 2, m.actions.begin() + i * 2 + 2);
    const std::vector<float> r(m.ratings.begin() + i * 2, m.ratings.begin() + i * 2 + 2);
    BOOST_TEST(rate_one(sim, s, a) == r, tt::per_element());
  }
  // cos = 1 on both halves: the score of the matching pattern is alpha + (1 - alpha) = 1.
  const Tensor p = sim.pattern_scores(IndexTensor::from(Shape{1, 2}, {1, 2}), IndexTensor::from(Shape{1, 2}, {3, 4}));
  BOOST_TEST(p[2] == 1.0f, tt::tolerance(1e-6f));  // (5, 5) is the third pattern
  BOOST_TEST(p[0] == 0.0f, tt::tolerance(1e-6f));
}

BOOST_AUTO_TEST_CASE(a_near_match_returns_the_pattern_it_is_nearest_to) {
  const MemorySimulator sim(three_tuples(), one_hot_embeddings(12), config());
  // The state of tuple 2 and half of its action, the other half unseen: pattern (1, 2).
  BOOST_TEST(rate_one(sim, {5, 6}, {7, 12}) == (std::vector<float>{1, 2}), tt::per_element());
  // The state of tuple 3 (cos 1) and an action half like tuple 1's and half like tuple 3's:
  // (4, 3) scores 0.5 + 0.5 * 0.5 = 0.75, (5, 5) only 0.5 * 0.5 = 0.25.
  BOOST_TEST(rate_one(sim, {9, 10}, {3, 12}) == (std::vector<float>{4, 3}), tt::per_element());
}

BOOST_AUTO_TEST_CASE(alpha_one_ignores_the_action_and_alpha_zero_the_state) {
  const MemorySimulator by_state(three_tuples(), one_hot_embeddings(12), config(1.0f));
  Generator g(3);
  for (int trial = 0; trial < 20; ++trial) {
    const std::int32_t a = std::int32_t(g.integer(1, 13));
    std::int32_t b = std::int32_t(g.integer(1, 13));
    if (b == a) b = a % 12 + 1;
    BOOST_TEST(rate_one(by_state, {1, 2}, {a, b}) == (std::vector<float>{5, 5}), tt::per_element());
    BOOST_TEST(rate_one(by_state, {5, 6}, {a, b}) == (std::vector<float>{1, 2}), tt::per_element());
    const Tensor p1 = by_state.pattern_scores(IndexTensor::from(Shape{1, 2}, {9, 2}), IndexTensor::from(Shape{1, 2}, {a, b}));
    const Tensor p2 = by_state.pattern_scores(IndexTensor::from(Shape{1, 2}, {9, 2}), IndexTensor::from(Shape{1, 2}, {3, 4}));
    BOOST_TEST(p1.to_vector() == p2.to_vector(), tt::per_element());
  }
  const MemorySimulator by_action(three_tuples(), one_hot_embeddings(12), config(0.0f));
  BOOST_TEST(rate_one(by_action, {1, 2}, {11, 12}) == (std::vector<float>{4, 3}), tt::per_element());
  BOOST_TEST(rate_one(by_action, {9, 10}, {7, 8}) == (std::vector<float>{1, 2}), tt::per_element());
}

BOOST_AUTO_TEST_CASE(the_expectation_weights_each_pattern_by_its_probability) {
  SimulatorConfig c = config();
  c.mode = SimulatorConfig::Mode::expectation;
  const MemorySimulator sim(three_tuples(), one_hot_embeddings(12), c);
  // State (1, 6): half of tuple 1's state and half of tuple 2's: cos 0.5 each; action (3, 12):
  // half of tuple 1's and half of tuple 3's. Scores: (1,2): 0.25; (4,3): 0.25; (5,5): 0.5.
  const Tensor p = sim.pattern_scores(IndexTensor::from(Shape{1, 2}, {1, 6}), IndexTensor::from(Shape{1, 2}, {3, 12}));
  BOOST_TEST(p.to_vector() == (std::vector<float>{0.25f, 0.25f, 0.5f}), tt::tolerance(1e-6f) << tt::per_element());
  const std::vector<float> expected = {0.25f * 1 + 0.25f * 4 + 0.5f * 5, 0.25f * 2 + 0.25f * 3 + 0.5f * 5};
  BOOST_TEST(rate_one(sim, {1, 6}, {3, 12}) == expected, tt::tolerance(1e-6f) << tt::per_element());
  // The most probable pattern for the same query is (5, 5).
  const MemorySimulator argmax(three_tuples(), one_hot_embeddings(12), config());
  BOOST_TEST(rate_one(argmax, {1, 6}, {3, 12}) == (std::vector<float>{5, 5}), tt::per_element());
}

BOOST_AUTO_TEST_CASE(a_memory_of_another_shape_or_an_empty_one_is_refused) {
  const Memory m = three_tuples();
  SimulatorConfig c = config();
  c.K = 3;
  BOOST_CHECK_THROW(MemorySimulator(m, one_hot_embeddings(12), c), Error);
  BOOST_CHECK_THROW(MemorySimulator(Memory{2, 2, {}, {}, {}}, one_hot_embeddings(12), config()), Error);
  const MemorySimulator sim(m, one_hot_embeddings(12), config());
  BOOST_CHECK_THROW(sim.rate(IndexTensor::from(Shape{1, 2}, {1, 2}), IndexTensor::from(Shape{1, 2}, {3, 99})), Error);
}

BOOST_AUTO_TEST_SUITE_END()
