#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <set>

#include "recsys/data/split.h"
#include "recsys/data/synthetic.h"
#include "recsys_test_util.h"

using namespace l2::recsys;
using l2::test::make_dataset;
using l2::test::vec;

namespace {

constexpr std::int64_t kDay = 86400;

// Users (times in days), cutoff T = day 1000:
//   1: 100 200 | 1000 1100        train 2, valid, test          casual (gap 333 d)
//   2: 100     | 1200             train 1, valid, no test       casual
//   3: 100 200 300 |              train 3, no valid             casual
//   4:         | 1000 1001        no training interaction       core (gap 1 d)
//   5: 10 20 30 | 1500 1600 1700  train 3, valid, test          casual
//   6: 990 995 999 | 1000 1001    train 3, valid, test          core (gap 2.75 d)
// Item "u.k" is user u's k-th interaction.
std::shared_ptr<const Dataset> protocol_data() {
  const std::vector<std::vector<int>> days = {{},
                                              {100, 200, 1000, 1100},
                                              {100, 1200},
                                              {100, 200, 300},
                                              {1000, 1001},
                                              {10, 20, 30, 1500, 1600, 1700},
                                              {990, 995, 999, 1000, 1001}};
  std::vector<l2::test::Row> rows;
  for (int u = 6; u >= 1; --u)  // file order unrelated to ids
    for (size_t k = 0; k < days[size_t(u)].size(); ++k)
      rows.push_back({std::to_string(u), std::to_string(u) + "." + std::to_string(k), days[size_t(u)][k] * kDay});
  return std::make_shared<const Dataset>(make_dataset(rows));
}

// The raw name of an item id, for readable expectations.
std::vector<std::string> names(const Split& s, std::span<const std::int32_t> items) {
  std::vector<std::string> out;
  for (std::int32_t i : items) out.push_back(s.dataset().item_names()[size_t(i)]);
  return out;
}
std::string name(const Split& s, std::int32_t item) { return item ? s.dataset().item_names()[size_t(item)] : "-"; }

ProtocolConfig temporal_at(std::int64_t day, double meta_fraction) {
  ProtocolConfig p;
  p.cutoff = {CutoffChoice::Kind::fixed, day * kDay};
  p.meta_fraction = meta_fraction;
  return p;
}

using Names = std::vector<std::string>;

}  // namespace

BOOST_AUTO_TEST_SUITE(split_suite)

BOOST_AUTO_TEST_CASE(temporal_split_sets_and_exclusions) {
  const Split s(protocol_data(), temporal_at(1000, 0.0));
  BOOST_TEST(s.cutoff() == 1000 * kDay);
  BOOST_TEST(s.cutoff_origin() == "given");
  const std::vector<std::int32_t> train_len = {0, 2, 1, 3, 0, 3, 3};
  for (std::int32_t u = 1; u <= 6; ++u) BOOST_TEST(s.train_length(u) == train_len[size_t(u)]);
  BOOST_TEST(s.validation_users() == std::vector<std::int32_t>({1, 2, 5, 6}), boost::test_tools::per_element());
  BOOST_TEST(s.test_users() == std::vector<std::int32_t>({1, 5, 6}), boost::test_tools::per_element());
  BOOST_TEST(s.core_users() == std::vector<std::int32_t>({4, 6}), boost::test_tools::per_element());
  const GroupCounts& casual = s.counts(Group::casual);
  const GroupCounts& core = s.counts(Group::core);
  BOOST_TEST(casual.users == 4);
  BOOST_TEST(casual.validation == 3);
  BOOST_TEST(casual.test == 2);
  BOOST_TEST(casual.no_valid == 1);  // user 3
  BOOST_TEST(casual.no_test == 1);   // user 2
  BOOST_TEST(core.no_train == 1);    // user 4
  BOOST_TEST(core.test == 1);
  BOOST_TEST(casual.train_interactions == 2 + 1 + 3 + 3);
}

BOOST_AUTO_TEST_CASE(evaluation_inputs_follow_the_protocol) {
  const Split s(protocol_data(), temporal_at(1000, 0.0));
  // Validation ranks from the training items; test from the training items + the validation item.
  BOOST_TEST(names(s, s.validation_history(1)) == Names({"1.0", "1.1"}), boost::test_tools::per_element());
  BOOST_TEST(name(s, s.validation_target(1)) == "1.2");
  BOOST_TEST(names(s, s.test_history(1)) == Names({"1.0", "1.1", "1.2"}), boost::test_tools::per_element());
  BOOST_TEST(name(s, s.test_target(1)) == "1.3");
  BOOST_TEST(name(s, s.test_target(2)) == "-");  // not in test
  BOOST_TEST(name(s, s.validation_target(3)) == "-");
  // Training times are before T, targets at or after it; validation comes before test.
  for (std::int32_t u = 1; u <= 6; ++u) {
    for (std::int64_t t : s.train_times(u)) BOOST_TEST(t < s.cutoff());
    if (s.in_validation(u)) BOOST_TEST(s.dataset().times_of(u)[size_t(s.train_length(u))] >= s.cutoff());
  }
}

BOOST_AUTO_TEST_CASE(meta_users_withhold_their_last_training_item) {
  const Split s(protocol_data(), temporal_at(1000, 1.0));  // every eligible casual user
  // Eligible: casual users with >= 2 training interactions: 1, 3, 5 (2 has one; 4 and 6 are core).
  BOOST_TEST(s.meta_users() == std::vector<std::int32_t>({1, 3, 5}), boost::test_tools::per_element());
  BOOST_TEST(s.counts(Group::casual).meta_eligible == 3);
  BOOST_TEST(names(s, s.train_sequence(1)) == Names({"1.0"}), boost::test_tools::per_element());
  BOOST_TEST(names(s, s.meta_history(1)) == Names({"1.0"}), boost::test_tools::per_element());
  BOOST_TEST(name(s, s.meta_target(1)) == "1.1");
  // ...and are validated and tested with their full history, meta target included.
  BOOST_TEST(names(s, s.validation_history(1)) == Names({"1.0", "1.1"}), boost::test_tools::per_element());
  BOOST_TEST(s.in_test(1));
  BOOST_TEST(s.meta_history(6).empty());  // not a meta user
  BOOST_TEST(s.meta_target(6) == 0);
  BOOST_TEST(names(s, s.train_sequence(6)) == Names({"6.0", "6.1", "6.2"}), boost::test_tools::per_element());
  // Users the recommender can train on: >= 2 items in train_sequence.
  BOOST_TEST(s.trainable_users() == std::vector<std::int32_t>({3, 5, 6}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(meta_draw_is_seeded_and_sized) {
  const auto data = std::make_shared<const Dataset>(
      build_dataset(generate_synthetic(parse_synthetic_spec("synthetic:users=600,items=200,topics=10")).log, {}, 0));
  ProtocolConfig p;
  p.meta_fraction = 0.1;
  const Split a(data, p), b(data, p);
  p.seed = 2;
  const Split c(data, p);
  BOOST_TEST(a.meta_users() == b.meta_users(), boost::test_tools::per_element());
  BOOST_TEST((a.meta_users() != c.meta_users()));
  const auto eligible = a.counts(Group::casual).meta_eligible;
  BOOST_TEST(std::int64_t(a.meta_users().size()) == std::llround(0.1 * double(eligible)));
  for (std::int32_t u : a.meta_users()) {
    BOOST_TEST(int(a.group(u)) == int(Group::casual));
    BOOST_TEST(a.train_length(u) >= 2);
    BOOST_TEST(a.train_sequence(u).size() + 1 == size_t(a.train_length(u)));
  }
}

BOOST_AUTO_TEST_CASE(leave_one_out) {
  ProtocolConfig p;
  p.split = SplitKind::leave_one_out;
  p.meta_fraction = 0.0;
  const Split s(protocol_data(), p);
  BOOST_TEST(s.train_length(1) == 2);
  BOOST_TEST(name(s, s.validation_target(1)) == "1.2");
  BOOST_TEST(name(s, s.test_target(1)) == "1.3");
  BOOST_TEST(name(s, s.test_target(5)) == "5.5");
  BOOST_TEST(!s.in_validation(2));  // two interactions: too short, all training
  BOOST_TEST(s.train_length(2) == 2);
  BOOST_TEST(s.counts(Group::casual).too_short == 1);
  BOOST_TEST(s.counts(Group::core).too_short == 1);  // user 4
  BOOST_TEST(s.test_users().size() == 4u);           // 1, 3, 5, 6
}

BOOST_AUTO_TEST_CASE(group_rule_on_the_training_part) {
  ProtocolConfig p = temporal_at(1000, 0.0);
  p.groups.scope = GroupScope::training;
  const Split s(protocol_data(), p);
  // User 4 has no training interaction: casual by the training-only rule (core on the whole history).
  BOOST_TEST(int(s.group(4)) == int(Group::casual));
  BOOST_TEST(int(s.group(6)) == int(Group::core));  // 990, 995, 999: mean gap 4.5 days
}

BOOST_AUTO_TEST_SUITE_END()
