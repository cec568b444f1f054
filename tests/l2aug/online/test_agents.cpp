// The DQN and LIRD agents (l2aug/online/dqn.h, lird.h) on a toy environment whose best lists are
// known: both must clearly beat random recommendation. Also: lists never repeat an item or
// recommend an excluded one, a copied agent behaves as its original, the replay buffer is a ring,
// and training is bit-identical for a seed, with 1 thread or 2.
#include <boost/test/unit_test.hpp>

#include <numeric>

#include "../../common/test_util.h"
#include "l2aug/online/dqn.h"
#include "l2aug/online/episodes.h"
#include "l2aug/online/lird.h"

using namespace l2;
using namespace l2::online;
namespace tt = boost::test_tools;

namespace {

// 40 items in two clusters (1-20, 21-40); the first 10 of each cluster are good. A user likes
// (rates 5) exactly the good items of the cluster of the last item in its state, and rates
// everything else 1. The best list is any K good items of that cluster: an episode of 3 lists of
// 2 can score 5 throughout; a random list scores about 1 + 4 * 10/40 = 2.
class ToyEnvironment : public Environment {
 public:
  static constexpr std::int32_t kItems = 40;
  static int cluster(std::int32_t i) { return i <= 20 ? 0 : 1; }
  static bool good(std::int32_t i) { return (i - 1) % 20 < 10; }

  std::int64_t state_length() const override { return 3; }
  std::int64_t list_size() const override { return 2; }
  float positive_rating() const override { return 4.0f; }
  Tensor rate(const IndexTensor& states, const IndexTensor& lists) const override {
    const std::int64_t Q = states.dim(0), N = states.dim(1), K = lists.dim(1);
    Tensor r = Tensor::empty(Shape{Q, K});
    for (std::int64_t q = 0; q < Q; ++q) {
      const std::int32_t last = states[q * N + N - 1];
      const int c = last == 0 ? 0 : cluster(last);
      for (std::int64_t k = 0; k < K; ++k) {
        const std::int32_t i = lists[q * K + k];
        r[q * K + k] = cluster(i) == c && good(i) ? 5.0f : 1.0f;
      }
    }
    return r;
  }
};

// e_i = [cluster 0, cluster 1, good, bad, 4 noise dims], scaled into [-1, 1].
Tensor toy_embeddings() {
  const std::int64_t D = 8;
  Tensor E = Tensor::zeros(Shape{ToyEnvironment::kItems + 1, D});
  Generator g(11);
  for (std::int32_t i = 1; i <= ToyEnvironment::kItems; ++i) {
    float* e = E.data() + i * D;
    e[ToyEnvironment::cluster(i)] = 1.0f;
    e[ToyEnvironment::good(i) ? 2 : 3] = 1.0f;
    for (int d = 4; d < D; ++d) e[d] = g.uniform(-0.5f, 0.5f);
  }
  return E;
}

// A user of a random cluster whose state holds 3 of that cluster's items.
EpisodeStart toy_start(Generator& g) {
  EpisodeStart s;
  const std::int32_t base = g.bernoulli(0.5f) ? 0 : 20;
  for (int j = 0; j < 3; ++j) s.state.push_back(base + std::int32_t(g.integer(1, 21)));
  return s;
}

std::vector<EpisodeStart> toy_starts(std::int64_t n, std::uint64_t seed) {
  Generator g(seed);
  std::vector<EpisodeStart> out;
  for (std::int64_t k = 0; k < n; ++k) out.push_back(toy_start(g));
  return out;
}

double mean_of(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0) / double(v.size()); }

// Faster learning than the MovieLens defaults: the toy's 960 episodes are 720 updates.
AgentConfig toy_agent_config() {
  AgentConfig c;
  c.batch = 32;
  c.target_every = 50;
  c.tau = 0.05f;
  c.epsilon = 0.3f;
  c.seed = 5;
  return c;
}

OnlineTrainConfig toy_training(std::int64_t episodes) {
  OnlineTrainConfig c;
  c.episodes = episodes;
  c.rounds = 3;
  c.parallel = 32;
  c.updates_per_round = 8;
  c.warmup = 64;
  return c;
}

std::unique_ptr<Agent> trained(AgentKind kind, std::int64_t episodes, std::uint64_t seed = 9) {
  ToyEnvironment env;
  std::unique_ptr<Agent> a = make_agent(kind, toy_embeddings(), 3, 2, toy_agent_config());
  train_online(*a, env, [](Generator& g) { return toy_start(g); }, toy_training(episodes), seed);
  return a;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(online_agents_suite)

BOOST_AUTO_TEST_CASE(lists_never_repeat_an_item_nor_recommend_an_excluded_one) {
  for (AgentKind kind : {AgentKind::dqn, AgentKind::lird}) {
    const std::unique_ptr<Agent> a = make_agent(kind, toy_embeddings(), 3, 2, toy_agent_config());
    const std::int64_t B = 6;
    ItemMask mask(B, ToyEnvironment::kItems);
    for (std::int32_t i = 1; i <= 37; ++i) mask.exclude(0, i);  // row 0 may only get 38, 39, 40
    Generator g(1);
    const std::vector<std::int32_t> states(size_t(B * 3), 5);
    for (float eps : {0.0f, 0.5f, 1.0f}) {
      const std::vector<std::int32_t> l = a->recommend(IndexTensor::from(Shape{B, 3}, states), mask, eps, &g);
      for (std::int64_t b = 0; b < B; ++b) {
        BOOST_TEST(l[size_t(b * 2)] != l[size_t(b * 2 + 1)]);
        for (int k = 0; k < 2; ++k) BOOST_TEST(!mask.excluded(b, l[size_t(b * 2 + k)]));
      }
      BOOST_TEST(l[0] >= 38);
      BOOST_TEST(l[1] >= 38);
    }
    ItemMask full(1, ToyEnvironment::kItems);
    for (std::int32_t i = 2; i <= ToyEnvironment::kItems; ++i) full.exclude(0, i);  // one item left, K = 2
    BOOST_CHECK_THROW(a->recommend(IndexTensor::from(Shape{1, 3}, {1, 2, 3}), full, 0.0f, nullptr), Error);
  }
}

BOOST_AUTO_TEST_CASE(the_replay_buffer_keeps_the_latest_transitions) {
  ReplayBuffer buffer(3, 1, 1);
  for (std::int32_t i = 1; i <= 5; ++i) {
    Transitions t(1, 1);
    t.add(std::vector<std::int32_t>{i}, std::vector<std::int32_t>{i}, std::vector<float>{float(i)},
          std::vector<std::int32_t>{i});
    buffer.add(t);
  }
  BOOST_TEST(buffer.size() == 3);
  Generator g(2);
  const Transitions s = buffer.sample(200, g);
  std::vector<int> seen(6, 0);
  for (std::int32_t i : s.lists) ++seen[size_t(i)];
  BOOST_TEST(seen[1] + seen[2] == 0);  // 1 and 2 were overwritten by 4 and 5
  BOOST_TEST(seen[3] > 0);
  BOOST_TEST(seen[4] > 0);
  BOOST_TEST(seen[5] > 0);
}

// A trained agent's greedy lists on the toy environment, against random lists.
static void expect_learns_the_best_lists(AgentKind kind) {
  const ToyEnvironment env;
  const std::vector<EpisodeStart> test = toy_starts(64, 77);
  const std::unique_ptr<Agent> a = trained(kind, 960);
  const double learned = mean_of(evaluate(*a, env, test, 3)), random = mean_of(evaluate_random(*a, env, test, 3, 1));
  BOOST_TEST_MESSAGE(agent_kind_name(kind) << " on the toy environment: " << learned << " (random " << random << ")");
  BOOST_TEST(random < 2.6);
  BOOST_TEST(learned > 4.0);
}

BOOST_AUTO_TEST_CASE(dqn_learns_the_best_lists_of_the_toy_environment, *boost::unit_test::label("learning")) { expect_learns_the_best_lists(AgentKind::dqn); }

BOOST_AUTO_TEST_CASE(lird_learns_the_best_lists_of_the_toy_environment, *boost::unit_test::label("learning")) { expect_learns_the_best_lists(AgentKind::lird); }

BOOST_AUTO_TEST_CASE(training_is_bit_identical_for_a_seed_and_any_thread_count) {
  const ToyEnvironment env;
  const std::vector<EpisodeStart> test = toy_starts(16, 3);
  std::vector<std::int32_t> states;
  for (const EpisodeStart& s : test) states.insert(states.end(), s.state.begin(), s.state.end());
  const IndexTensor st = IndexTensor::from(Shape{std::int64_t(test.size()), 3}, states);
  for (AgentKind kind : {AgentKind::dqn, AgentKind::lird}) {
    // What the trained agent scores and what its episodes rate.
    auto run = [&](std::uint64_t seed) {
      const std::unique_ptr<Agent> a = trained(kind, 96, seed);
      std::vector<double> v = evaluate(*a, env, test, 3);
      for (float x : a->scores(st).to_vector()) v.push_back(double(x));
      return v;
    };
    const auto [one, two] = test::with_1_and_2_threads([&] { return run(4); });
    BOOST_TEST(test::bit_equal(one, two));
    BOOST_TEST(test::bit_equal(one, run(4)));
    BOOST_TEST(!test::bit_equal(one, run(5)), agent_kind_name(kind) << ": another seed should train another agent");
  }
}

BOOST_AUTO_TEST_CASE(a_copied_agent_recommends_and_learns_as_its_original) {
  for (AgentKind kind : {AgentKind::dqn, AgentKind::lird}) {
    const std::unique_ptr<Agent> a = trained(kind, 64);
    const std::unique_ptr<Agent> b = make_agent(kind, toy_embeddings(), 3, 2, toy_agent_config());
    b->copy_from(*a);
    BOOST_TEST(b->updates() == a->updates());
    const std::vector<EpisodeStart> starts = toy_starts(8, 6);
    std::vector<std::int32_t> states;
    for (const EpisodeStart& s : starts) states.insert(states.end(), s.state.begin(), s.state.end());
    const IndexTensor st = IndexTensor::from(Shape{8, 3}, states);
    const ItemMask none(8, ToyEnvironment::kItems);
    BOOST_TEST(a->recommend(st, none, 0.0f, nullptr) == b->recommend(st, none, 0.0f, nullptr), tt::per_element());
    // One more identical update each (the optimiser state was copied too): still identical.
    Transitions t(3, 2);
    for (std::int64_t r = 0; r < 8; ++r)
      t.add(std::span(states).subspan(size_t(r * 3), 3), std::vector<std::int32_t>{1, 2}, std::vector<float>{5, 1},
            std::span(states).subspan(size_t(r * 3), 3));
    a->update(t);
    b->update(t);
    BOOST_TEST(a->recommend(st, none, 0.0f, nullptr) == b->recommend(st, none, 0.0f, nullptr), tt::per_element());
    const std::unique_ptr<Agent> other = make_agent(kind == AgentKind::dqn ? AgentKind::lird : AgentKind::dqn,
                                                    toy_embeddings(), 3, 2, toy_agent_config());
    BOOST_CHECK_THROW(other->copy_from(*a), Error);
  }
}

BOOST_AUTO_TEST_CASE(dqn_q_values_move_towards_the_td_target) {
  // One transition repeated: Q(s, a) must approach r - c + gamma max Q'(s', .) under updates.
  AgentConfig c = toy_agent_config();
  c.gamma = 0.0f;  // the target is the centred reward itself: 5 - 3 = 2 for item 7, 1 - 3 = -2 for item 9
  c.lr = 0.01f;
  DQN dqn(toy_embeddings(), 3, 2, c);
  Transitions t(3, 2);
  for (int r = 0; r < 16; ++r)
    t.add(std::vector<std::int32_t>{1, 2, 3}, std::vector<std::int32_t>{7, 9}, std::vector<float>{5, 1},
          std::vector<std::int32_t>{2, 3, 7});
  for (int step = 0; step < 500; ++step) dqn.update(t);
  const Tensor q = dqn.q_values(IndexTensor::from(Shape{1, 3}, {1, 2, 3}));
  BOOST_TEST(q[7] == 2.0f, tt::tolerance(0.05f));
  BOOST_TEST(q[9] == -2.0f, tt::tolerance(0.05f));
}

BOOST_AUTO_TEST_SUITE_END()
