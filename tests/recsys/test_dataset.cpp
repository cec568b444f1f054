#include <boost/test/unit_test.hpp>

#include "recsys/data/dataset.h"
#include "recsys_test_util.h"

using namespace l2::recsys;
using l2::test::make_dataset;
using l2::test::vec;

BOOST_AUTO_TEST_SUITE(dataset_suite)

BOOST_AUTO_TEST_CASE(dense_ids_follow_raw_id_order_numbers_numerically) {
  const Dataset d = make_dataset({{"10", "b", 1}, {"9", "a", 2}, {"x", "10", 3}, {"09", "2", 4}});
  const std::vector<std::string> users = {"", "09", "9", "10", "x"};  // equal numbers: by text
  BOOST_TEST(d.user_names() == users, boost::test_tools::per_element());
  const std::vector<std::string> items = {"", "2", "10", "a", "b"};
  BOOST_TEST(d.item_names() == items, boost::test_tools::per_element());
  BOOST_TEST(raw_id_less("2", "10"));
  BOOST_TEST(raw_id_less("0000013714", "B0001"));  // digits before other ids (asin)
  BOOST_TEST(!raw_id_less("10", "10"));
}

BOOST_AUTO_TEST_CASE(sequences_sorted_by_time_ties_keep_file_order) {
  const Dataset d = make_dataset({{"u", "c", 5}, {"u", "a", 3}, {"u", "b", 3}, {"v", "a", 1}, {"u", "d", 3}});
  // u: a@3, b@3, d@3 (file order among equal times), then c@5.
  const auto& I = d.item_names();
  std::vector<std::string> got;
  for (std::int32_t i : d.items_of(1)) got.push_back(I[size_t(i)]);
  const std::vector<std::string> expect = {"a", "b", "d", "c"};
  BOOST_TEST(got == expect, boost::test_tools::per_element());
  const std::vector<std::int64_t> times = {3, 3, 3, 5};
  BOOST_TEST(std::vector<std::int64_t>(d.times_of(1).begin(), d.times_of(1).end()) == times,
             boost::test_tools::per_element());
  BOOST_TEST(d.min_time() == 1);
  BOOST_TEST(d.max_time() == 5);
  BOOST_TEST(d.length(0) == 0u);  // the padding user
}

BOOST_AUTO_TEST_CASE(drop_repeats_keeps_the_first_interaction_in_time_order) {
  const std::vector<l2::test::Row> rows = {{"u", "a", 9}, {"u", "b", 2}, {"u", "a", 4}, {"v", "a", 1}, {"u", "a", 4}};
  const Dataset keep = make_dataset(rows);
  BOOST_TEST(keep.num_interactions() == 5);
  BOOST_TEST(keep.preprocess_report().duplicates_dropped == 0);
  DatasetConfig drop;
  drop.duplicates = DuplicatePolicy::drop_repeats;
  const Dataset d = make_dataset(rows, drop);
  BOOST_TEST(d.num_interactions() == 3);
  BOOST_TEST(d.preprocess_report().duplicates_dropped == 2);
  BOOST_TEST(d.length(1) == 2u);
  BOOST_TEST(d.times_of(1)[0] == 2);  // b@2
  BOOST_TEST(d.times_of(1)[1] == 4);  // the first a, at 4 (not the one at 9)
}

BOOST_AUTO_TEST_CASE(kcore_removes_until_stable) {
  // With k = 2: item z has one interaction, removing it leaves user w with one, which removes w,
  // which leaves item y with one... a cascade that ends with u and v on items a and b.
  const Dataset d0 = make_dataset(
      {{"u", "a", 1}, {"u", "b", 2}, {"v", "a", 3}, {"v", "b", 4}, {"w", "y", 5}, {"w", "z", 6}, {"x", "y", 7}});
  DatasetConfig k2;
  k2.kcore = 2;
  const Dataset d = make_dataset(
      {{"u", "a", 1}, {"u", "b", 2}, {"v", "a", 3}, {"v", "b", 4}, {"w", "y", 5}, {"w", "z", 6}, {"x", "y", 7}}, k2);
  BOOST_TEST(d0.num_users() == 4);
  BOOST_TEST(d.num_users() == 2);
  BOOST_TEST(d.num_items() == 2);
  BOOST_TEST(d.num_interactions() == 4);
  BOOST_TEST(d.preprocess_report().kcore_rows_removed == 3);
  BOOST_TEST(d.preprocess_report().kcore_users_removed == 2);
  BOOST_TEST(d.preprocess_report().kcore_items_removed == 2);
  BOOST_TEST(d.preprocess_report().kcore_rounds >= 2);
  for (std::int32_t u = 1; u <= d.num_users(); ++u) BOOST_TEST(d.length(u) >= 2u);
  DatasetConfig k9;
  k9.kcore = 9;
  BOOST_CHECK_THROW(make_dataset({{"u", "a", 1}}, k9), l2::Error);
}

BOOST_AUTO_TEST_SUITE_END()
