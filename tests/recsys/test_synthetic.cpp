#include <boost/test/unit_test.hpp>
#include <map>

#include "recsys/data/continuity.h"
#include "recsys/data/cutoffs.h"
#include "recsys/data/synthetic.h"
#include "recsys_test_util.h"

using namespace l2::recsys;
using l2::test::contains;
using l2::test::error_of;

namespace {
std::shared_ptr<const Dataset> dataset_of(const SyntheticData& s) {
  RawLog copy = s.log;
  return std::make_shared<const Dataset>(build_dataset(std::move(copy), {}, 0));
}
}  // namespace

BOOST_AUTO_TEST_SUITE(synthetic_suite)

BOOST_AUTO_TEST_CASE(spec_parsing) {
  const SyntheticConfig c = parse_synthetic_spec("synthetic:users=50, items=40,topics=4,core_fraction=0.5,seed=9");
  BOOST_TEST(c.users == 50);
  BOOST_TEST(c.items == 40);
  BOOST_TEST(c.core_fraction == 0.5);
  BOOST_TEST(c.seed == 9u);
  BOOST_TEST(parse_synthetic_spec("synthetic").users == 2000);
  BOOST_TEST(parse_synthetic_spec(c.describe()).describe() == c.describe());  // describe() reads back
  BOOST_TEST(contains(error_of([] { parse_synthetic_spec("synthetic:userz=5"); }), "unknown key 'userz'"));
  BOOST_TEST(contains(error_of([] { parse_synthetic_spec("synthetic:users=-5"); }), "users must be an integer >= 1"));
  BOOST_TEST(contains(error_of([] { parse_synthetic_spec("synthetic:core_fraction=2"); }),
                      "core_fraction must be a number in [0, 1]"));
  BOOST_TEST(contains(error_of([] { parse_synthetic_spec("synthetic:items=10,topics=8"); }), "at least 2 per topic"));
  BOOST_TEST(contains(error_of([] { parse_synthetic_spec("synthetic:users"); }), "expected key=value"));
  BOOST_TEST(!is_synthetic_spec("synthetics"));
}

BOOST_AUTO_TEST_CASE(same_seed_same_data_other_seed_other_data) {
  const auto a = generate_synthetic(parse_synthetic_spec("synthetic:users=200,items=100,topics=5"));
  const auto b = generate_synthetic(parse_synthetic_spec("synthetic:users=200,items=100,topics=5"));
  const auto c = generate_synthetic(parse_synthetic_spec("synthetic:users=200,items=100,topics=5,seed=2"));
  BOOST_TEST(a.log.item == b.log.item, boost::test_tools::per_element());
  BOOST_TEST(a.log.time == b.log.time, boost::test_tools::per_element());
  BOOST_TEST((a.log.item != c.log.item));
}

BOOST_AUTO_TEST_CASE(the_30_day_rule_recovers_the_generator_groups) {
  const auto syn = generate_synthetic(SyntheticConfig{});
  const Split s(dataset_of(syn), ProtocolConfig{});
  std::int64_t core = 0;
  for (std::int32_t u = 1; u <= s.num_users(); ++u) {
    const auto raw = std::stoi(s.dataset().user_names()[size_t(u)]) - 1;  // users are "1".."users"
    BOOST_TEST(int(s.group(u)) == int(syn.truth[size_t(raw)]));
    core += s.group(u) == Group::core;
  }
  BOOST_TEST(core == 600);  // 30% of 2000
  // The cutoff of the table falls inside the timelines: most users are evaluated, both groups.
  BOOST_TEST(s.cutoff_origin() == "default for 'synthetic'");
  BOOST_TEST(s.counts(Group::core).test > 500);
  BOOST_TEST(s.counts(Group::casual).test > 1200);
  BOOST_TEST(s.counts(Group::casual).no_valid > 0);  // a few users end before the cutoff
  // The table's date is also what the automatic rule picks.
  BOOST_TEST(choose_cutoff(s.dataset(), GroupConfig{}) == s.cutoff());
}

BOOST_AUTO_TEST_CASE(core_users_have_stronger_interest_continuity) {
  const Split s(dataset_of(generate_synthetic(SyntheticConfig{})), ProtocolConfig{});
  const auto c = interest_continuity(s);
  BOOST_TEST_MESSAGE("continuity casual " << c[0].mean << ", core " << c[1].mean);
  BOOST_TEST(c[1].mean > 1.3 * c[0].mean);
}

BOOST_AUTO_TEST_CASE(the_sequential_signal_beats_popularity) {
  // "Next item = the most frequent successor of the last item in training" against "the most
  // popular item", on the validation targets: a sequential model has something to learn.
  const Split s(dataset_of(generate_synthetic(SyntheticConfig{})), ProtocolConfig{});
  std::map<std::pair<std::int32_t, std::int32_t>, int> bigram;
  std::vector<int> popularity(size_t(s.num_items()) + 1, 0);
  for (std::int32_t u = 1; u <= s.num_users(); ++u) {
    const auto seq = s.train_sequence(u);
    for (size_t k = 0; k < seq.size(); ++k) {
      ++popularity[size_t(seq[k])];
      if (k > 0) ++bigram[{seq[k - 1], seq[k]}];
    }
  }
  std::vector<std::int32_t> best_next(size_t(s.num_items()) + 1, 0);
  std::vector<int> best_count(size_t(s.num_items()) + 1, 0);
  for (const auto& [pair, n] : bigram)
    if (n > best_count[size_t(pair.first)])
      best_count[size_t(pair.first)] = n, best_next[size_t(pair.first)] = pair.second;
  const auto top = std::int32_t(std::max_element(popularity.begin(), popularity.end()) - popularity.begin());
  int hits_seq = 0, hits_pop = 0, n = 0;
  for (std::int32_t u : s.validation_users()) {
    const auto h = s.validation_history(u);
    hits_seq += best_next[size_t(h.back())] == s.validation_target(u);
    hits_pop += top == s.validation_target(u);
    ++n;
  }
  BOOST_TEST_MESSAGE("HR@1 successor " << double(hits_seq) / n << ", popularity " << double(hits_pop) / n);
  BOOST_TEST(hits_seq > 5 * std::max(hits_pop, 1));
}

BOOST_AUTO_TEST_SUITE_END()
