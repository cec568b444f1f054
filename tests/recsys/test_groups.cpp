#include <boost/test/unit_test.hpp>

#include "recsys/data/groups.h"
#include "recsys_test_util.h"

using namespace l2::recsys;
using l2::test::make_dataset;

namespace {
constexpr std::int64_t kDay = 86400;

std::vector<std::int32_t> full_lengths(const Dataset& d) {
  std::vector<std::int32_t> n(size_t(d.num_users()) + 1, 0);
  for (std::int32_t u = 1; u <= d.num_users(); ++u) n[size_t(u)] = std::int32_t(d.length(u));
  return n;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(groups_suite)

BOOST_AUTO_TEST_CASE(mean_gap_counts_same_time_gaps_as_zero) {
  const std::vector<std::int64_t> t = {0, 0, 0, 90 * kDay};
  BOOST_TEST(mean_gap_days(t) == 30.0);
  BOOST_TEST(visiting_days(t) == 2);
  const std::vector<std::int64_t> one = {5};
  BOOST_CHECK_THROW(mean_gap_days(one), l2::Error);
}

BOOST_AUTO_TEST_CASE(mean_gap_rule_threshold_is_strict) {
  // u1: gaps of exactly 30 days -> casual ("under 30 days" is core); u2: 29.9 days -> core;
  // u3: one interaction -> casual.
  const Dataset d = make_dataset({{"1", "a", 0},
                                  {"1", "b", 30 * kDay},
                                  {"1", "c", 60 * kDay},
                                  {"2", "a", 0},
                                  {"2", "b", 299 * kDay / 10},
                                  {"3", "a", 0}});
  const auto g = assign_groups(d, GroupConfig{}, full_lengths(d));
  BOOST_TEST(int(g[1]) == int(Group::casual));
  BOOST_TEST(int(g[2]) == int(Group::core));
  BOOST_TEST(int(g[3]) == int(Group::casual));
  GroupConfig loose;
  loose.gap_days = 31;
  BOOST_TEST(int(assign_groups(d, loose, full_lengths(d))[1]) == int(Group::core));
}

BOOST_AUTO_TEST_CASE(training_scope_reads_only_the_history_given) {
  // Dense early, sparse late: core on the first 3 interactions, casual on all 4.
  const Dataset d = make_dataset({{"1", "a", 0}, {"1", "b", kDay}, {"1", "c", 2 * kDay}, {"1", "d", 400 * kDay}});
  GroupConfig train;
  train.scope = GroupScope::training;
  BOOST_TEST(int(assign_groups(d, train, std::vector<std::int32_t>{0, 3})[1]) == int(Group::core));
  BOOST_TEST(int(assign_groups(d, train, std::vector<std::int32_t>{0, 4})[1]) == int(Group::casual));
  BOOST_TEST(int(assign_groups(d, train, std::vector<std::int32_t>{0, 1})[1]) == int(Group::casual));  // < 2 training
}

BOOST_AUTO_TEST_CASE(frequency_rule_ranks_by_days_then_count_then_id) {
  // Visiting days: u1 3 days (3 interactions); u2 3 days (5 interactions); u3 3 days (3); u4 1 day (6).
  // Ranking: u2 (3 days, 5) > u1 (3 days, 3, id 1) > u3 (3 days, 3, id 3) > u4 (1 day).
  std::vector<l2::test::Row> rows;
  for (int k = 0; k < 3; ++k) rows.push_back({"1", "a", k * kDay});
  for (int k = 0; k < 5; ++k) rows.push_back({"2", "a", (k % 3) * kDay + k});
  for (int k = 0; k < 3; ++k) rows.push_back({"3", "a", k * kDay + 7});
  for (int k = 0; k < 6; ++k) rows.push_back({"4", "a", 10 * kDay + k});
  const Dataset d = make_dataset(rows);
  GroupConfig freq;
  freq.rule = GroupRule::top_frequency;
  auto core_set = [&](double fraction) {
    freq.core_fraction = fraction;
    const auto g = assign_groups(d, freq, full_lengths(d));
    std::vector<int> core;
    for (std::int32_t u = 1; u <= d.num_users(); ++u)
      if (g[size_t(u)] == Group::core) core.push_back(u);
    return core;
  };
  BOOST_TEST(core_set(0.25) == std::vector<int>({2}), boost::test_tools::per_element());     // count breaks the day tie
  BOOST_TEST(core_set(0.50) == std::vector<int>({1, 2}), boost::test_tools::per_element());  // then the id
  BOOST_TEST(core_set(0.75) == std::vector<int>({1, 2, 3}), boost::test_tools::per_element());
  BOOST_TEST(core_set(0.0).empty());
}

BOOST_AUTO_TEST_CASE(frequency_counts_utc_calendar_days) {
  // 23:59:59 and 00:00:00 the next day are two days; 00:00 and 23:59 of one day are one.
  const std::vector<std::int64_t> two = {kDay - 1, kDay};
  const std::vector<std::int64_t> one = {kDay, 2 * kDay - 1};
  BOOST_TEST(visiting_days(two) == 2);
  BOOST_TEST(visiting_days(one) == 1);
}

BOOST_AUTO_TEST_SUITE_END()
