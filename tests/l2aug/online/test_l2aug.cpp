// The online experiment's data and L2Aug online (l2aug/online/rated_data.h, l2aug_online.h,
// figure5.h): the per-user 7:3 split, groups and meta users; the ratings of augmented
// sequences; the inner step's reward is the meta gain of the fine-tuned copy; a short run is
// deterministic for a seed; and, with the real data present, the MovieLens ratings line up.
#include <boost/test/unit_test.hpp>

#include <cmath>

#include "../../common/test_util.h"
#include "l2aug/online/embeddings.h"
#include "l2aug/online/figure5.h"
#include "l2aug/online/l2aug_online.h"

using namespace l2;
using namespace l2::online;
namespace tt = boost::test_tools;

namespace {

// 60 users over 40 items. User u rates 10 + 5 (u % 7) items; users 1-18 visit on a new day for
// every item (the core users of the frequency rule), the rest rate everything within a day. The
// ratings: 5 for items 1-10 and 21-30, 4 for 11-15, 2 otherwise.
float toy_rating(std::int32_t item) { return (item - 1) % 20 < 10 ? 5.0f : item % 20 <= 15 && item % 20 > 10 ? 4.0f : 2.0f; }

const OnlineData& toy_data() {
  static const OnlineData data = [] {
    recsys::RawLog log;
    log.name = "toy";
    Generator g(21);
    for (std::int32_t u = 1; u <= 60; ++u) {
      const std::int64_t n = u == 1 ? 40 : 10 + 5 * (u % 7);  // user 1 rates every item, so dense ids = raw ids
      const std::vector<std::int64_t> items = g.sample_without_replacement(40, n);
      for (std::int64_t k = 0; k < n; ++k)
        log.add(std::to_string(u), std::to_string(items[size_t(k)] + 1), 1000000 + k * (u <= 18 ? 86400 : 60));
    }
    auto d = std::make_shared<recsys::Dataset>(recsys::build_dataset(std::move(log), recsys::DatasetConfig{}, 0));
    RatingTable ratings(size_t(d->num_users()) + 1);
    for (std::int32_t u = 1; u <= d->num_users(); ++u)
      for (std::int32_t i : d->items_of(u)) ratings[size_t(u)].push_back(toy_rating(i));
    return OnlineData(d, ratings, OnlineDataConfig{});
  }();
  return data;
}

// Rates every item by the id of the last item in its state, so a test can see which state the
// rater was given.
class LastItemRater : public Environment {
 public:
  std::int64_t state_length() const override { return 3; }
  std::int64_t list_size() const override { return 2; }
  float positive_rating() const override { return 4.0f; }
  Tensor rate(const IndexTensor& states, const IndexTensor& lists) const override {
    Tensor r = Tensor::empty(Shape{states.dim(0), 2});
    for (std::int64_t q = 0; q < states.dim(0); ++q) r[q * 2] = r[q * 2 + 1] = float(states[q * 3 + 2]);
    (void)lists;
    return r;
  }
};

struct ToySetup {
  Tensor E;
  std::unique_ptr<MemorySimulator> sim;
  AgentConfig agent;
  OnlineL2AugConfig l2;
  ToySetup() {
    std::vector<std::span<const std::int32_t>> train;
    for (std::int32_t u = 1; u <= toy_data().num_users(); ++u) train.push_back(toy_data().train_items(u));
    EmbeddingConfig ec;
    ec.dim = 8;
    ec.steps = 30;
    ec.batch = 16;
    E = train_item_embeddings(train, toy_data().num_items(), ec);
    SimulatorConfig sc;
    sc.N = 3;
    sc.K = 2;
    Memory m{3, 2, {}, {}, {}};
    for (std::int32_t u = 1; u <= toy_data().num_users(); ++u)
      add_sequence_tuples(m, toy_data().items(u), toy_data().ratings(u), 0, toy_data().train_length(u), 4.0f);
    sim = std::make_unique<MemorySimulator>(m, E, sc);
    agent.hidden = 16;
    agent.batch = 16;
    agent.seed = 3;
    l2.batch = 6;
    l2.iterations = 6;
    l2.replay_every = 3;
    l2.fine_tune_steps = 2;
    l2.replay_steps = 3;
    l2.augmentor.dim = 8;
    l2.augmentor.actions = {method::Action::keep, method::Action::drop, method::Action::substitute};
    l2.seed = 4;
  }
  std::unique_ptr<Agent> pretrained(AgentKind kind) const {
    std::unique_ptr<Agent> a = make_agent(kind, E, 3, 2, agent);
    OnlineTrainConfig t;
    t.episodes = 32;
    t.rounds = 3;
    t.parallel = 16;
    t.warmup = 16;
    train_online(*a, *sim, training_starts(toy_data(), toy_data().training_users(), 3, 4.0f), t, 8);
    return a;
  }
};

std::vector<std::int32_t> greedy_lists(const Agent& a) {
  std::vector<EpisodeStart> starts;
  std::vector<std::int32_t> states;
  for (std::int32_t u = 1; u <= toy_data().num_users(); ++u) {
    starts.push_back(boundary_start(toy_data(), u, 3, 4.0f));
    states.insert(states.end(), starts.back().state.begin(), starts.back().state.end());
  }
  return a.recommend(IndexTensor::from(Shape{std::int64_t(starts.size()), 3}, states),
                     ItemMask(std::int64_t(starts.size()), toy_data().num_items()), 0.0f, nullptr);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(online_l2aug_suite)

BOOST_AUTO_TEST_CASE(each_user_is_split_seventy_thirty_by_time_and_grouped_by_visit_days) {
  const OnlineData& d = toy_data();
  BOOST_TEST_REQUIRE(d.num_users() == 60);
  BOOST_TEST(d.num_items() == 40);
  for (std::int32_t u = 1; u <= d.num_users(); ++u) {
    const auto n = std::int64_t(d.items(u).size());
    BOOST_TEST(d.train_length(u) == std::int64_t(std::floor(0.7 * double(n))));
  }
  BOOST_TEST(d.users_in(recsys::Group::core).size() == 18u);  // round(0.3 * 60): those visiting daily
  for (std::int32_t u = 1; u <= 18; ++u) BOOST_TEST((d.group(u) == recsys::Group::core));
  BOOST_TEST(d.meta_users().size() == 4u);  // round(0.1 * 42 casual users)
  for (std::int32_t u : d.meta_users()) {
    BOOST_TEST((d.group(u) == recsys::Group::casual));
    BOOST_TEST(std::count(d.training_users().begin(), d.training_users().end(), u) == 0);
  }
  BOOST_TEST(d.training_users().size() == 56u);
}

BOOST_AUTO_TEST_CASE(augmented_items_keep_the_users_rating_and_new_ones_get_the_simulators) {
  const OnlineData& d = toy_data();
  const std::int32_t u = 2;
  const auto items = d.train_items(u);
  const auto ratings = d.train_ratings(u);
  std::int32_t unseen = 1;
  while (std::count(items.begin(), items.end(), unseen)) ++unseen;
  // [x0 x1 | unseen x2 | x3]: the first list is the user's, the second list's new item is rated in
  // the state after the first list (whose last liked item LastItemRater echoes); the tail is no list.
  method::Augmented a;
  a.items = {items[0], items[1], unseen, items[2], items[3]};
  const std::vector<RatedSequence> r = rate_augmented(d, std::vector<std::int32_t>{u}, {a}, LastItemRater());
  BOOST_TEST_REQUIRE(r.size() == 1u);
  BOOST_TEST(r[0].items == a.items, tt::per_element());
  BOOST_TEST(r[0].ratings[0] == ratings[0]);
  BOOST_TEST(r[0].ratings[1] == ratings[1]);
  const std::vector<float> first = {ratings[0], ratings[1]};
  const std::vector<std::int32_t> state = state_before(std::vector<std::int32_t>{items[0], items[1]}, first, 2, 3, 4.0f);
  BOOST_TEST(r[0].ratings[2] == float(state[2]));
  BOOST_TEST(r[0].ratings[3] == ratings[2]);  // a rated item in a list with a new one keeps its rating
  BOOST_TEST(r[0].ratings[4] == ratings[3]);
}

BOOST_AUTO_TEST_CASE(the_inner_steps_reward_is_the_meta_gain_of_the_fine_tuned_copy) {
  ToySetup s;
  for (AgentKind kind : {AgentKind::dqn, AgentKind::lird}) {
    const std::unique_ptr<Agent> agent = s.pretrained(kind), shadow = make_agent(kind, s.E, 3, 2, s.agent);
    const std::vector<std::int32_t> before = greedy_lists(*agent);
    const std::int64_t updates = agent->updates();
    OnlineL2Aug l2(Arm::l2aug, *agent, *shadow, toy_data(), *s.sim, 3, s.l2);
    const double m0 = l2.meta_metric(*agent);
    const OnlineL2AugLogRow row = l2.inner_step(0);
    BOOST_TEST(row.meta_before == m0);
    BOOST_TEST(row.meta_after == l2.meta_metric(*shadow));
    BOOST_TEST(row.reward == row.meta_after - row.meta_before);
    BOOST_TEST(row.action_probs.size() == 3u);
    BOOST_TEST(shadow->updates() == updates + s.l2.fine_tune_steps);
    BOOST_TEST(greedy_lists(*agent) == before, tt::per_element());  // the inner step leaves the agent alone
    BOOST_TEST(agent->updates() == updates);
    l2.replay(0);
    BOOST_TEST(agent->updates() == updates + s.l2.replay_steps);
  }
}

BOOST_AUTO_TEST_CASE(a_short_run_is_deterministic_and_the_plain_arm_only_replays) {
  ToySetup s;
  std::vector<std::vector<std::int32_t>> lists;
  std::vector<std::vector<double>> rewards;
  for (int run = 0; run < 2; ++run) {
    const std::unique_ptr<Agent> agent = s.pretrained(AgentKind::dqn), shadow = make_agent(AgentKind::dqn, s.E, 3, 2, s.agent);
    OnlineL2Aug l2(Arm::l2aug, *agent, *shadow, toy_data(), *s.sim, 3, s.l2);
    l2.run();
    BOOST_TEST(l2.log().size() == 6u);
    std::vector<double> r;
    for (const OnlineL2AugLogRow& row : l2.log()) r.push_back(row.reward);
    rewards.push_back(r);
    lists.push_back(greedy_lists(*agent));
  }
  BOOST_TEST(test::bit_equal(rewards[0], rewards[1]));
  BOOST_TEST(lists[0] == lists[1], tt::per_element());

  const std::unique_ptr<Agent> agent = s.pretrained(AgentKind::dqn), shadow = make_agent(AgentKind::dqn, s.E, 3, 2, s.agent);
  const std::int64_t before = agent->updates();
  OnlineL2Aug plain(Arm::plain, *agent, *shadow, toy_data(), *s.sim, 3, s.l2);
  plain.run();
  BOOST_TEST(plain.policy() == nullptr);
  BOOST_TEST(agent->updates() == before + 2 * s.l2.replay_steps);  // replays at iterations 0 and 3
  BOOST_TEST(shadow->updates() == 0);
}

BOOST_AUTO_TEST_CASE(settings_are_set_by_name_and_unknown_ones_refused) {
  OnlineConfig c;
  c.set("lird.actor_lr", "0.0005");
  c.set("simulator.mode", "expectation");
  c.set("l2aug.actions", "keep,drop,insert");
  BOOST_TEST(c.lird.actor_lr == 0.0005f);
  BOOST_TEST((c.simulator.mode == SimulatorConfig::Mode::expectation));
  BOOST_TEST(c.l2aug.augmentor.actions.size() == 3u);
  BOOST_TEST(c.to_json()["lird"]["actor_lr"].get<float>() == 0.0005f);
  BOOST_CHECK_THROW(c.set("lird.actor_rate", "1"), Error);
  BOOST_CHECK_THROW(c.set("simulator.alpha", "2"), Error);
  BOOST_CHECK_THROW(c.set("simulator.mode", "mean"), Error);
  BOOST_TEST(c.simulator.alpha == 0.5f);  // a refused setting changes nothing
}

BOOST_AUTO_TEST_CASE(movielens_ratings_line_up_with_the_data_layers_sequences, *boost::unit_test::label("needs_data")) {
  const auto path = test::require_data("ml-100k/u.data");
  if (path.empty()) return;
  const OnlineData d = load_online_data(path, OnlineDataConfig{});
  BOOST_TEST(d.num_users() == 943);
  BOOST_TEST(d.num_items() == 1682);
  BOOST_TEST(d.users_in(recsys::Group::core).size() == 283u);  // round(0.3 * 943)
  // The first line of u.data: user 196 rated item 242 with 3.
  const auto items = d.items(196);
  const auto it = std::find(items.begin(), items.end(), 242);
  BOOST_TEST_REQUIRE((it != items.end()));
  BOOST_TEST(d.ratings(196)[size_t(it - items.begin())] == 3.0f);
  std::int64_t train = 0;
  for (std::int32_t u = 1; u <= d.num_users(); ++u) train += d.train_length(u);
  BOOST_TEST(double(train) / 100000.0 == 0.7, tt::tolerance(0.01));
}

BOOST_AUTO_TEST_SUITE_END()
