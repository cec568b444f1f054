#include <boost/test/unit_test.hpp>

#include "../../recsys/recsys_test_util.h"
#include "l2aug/app/data_stats.h"
#include "recsys/data/synthetic.h"

using namespace l2::recsys;
using namespace l2::app;
using l2::test::contains;
using l2::test::make_dataset;

BOOST_AUTO_TEST_SUITE(stats_suite)

BOOST_AUTO_TEST_CASE(quantiles_interpolate_like_numpy) {
  const Distribution d = summarize({4, 1, 3, 2, 5});
  BOOST_TEST(d.count == 5);
  BOOST_TEST(d.min == 1.0);
  BOOST_TEST(d.max == 5.0);
  BOOST_TEST(d.p50 == 3.0);
  BOOST_TEST(d.p10 == 1.4, boost::test_tools::tolerance(1e-12));  // numpy.percentile([1..5], 10)
  BOOST_TEST(d.p75 == 4.0);
  BOOST_TEST(d.mean == 3.0);
  BOOST_TEST(summarize({}).count == 0);
  BOOST_TEST(length_bucket(1) == 0);
  BOOST_TEST(length_bucket(5) == 2);
  BOOST_TEST(length_bucket(200) == kLengthBuckets - 1);
}

BOOST_AUTO_TEST_CASE(table1_and_after_cutoff_counts) {
  // Cutoff day 100. Item "late" is first seen after it; user 3 has no training interaction.
  const std::int64_t day = 86400;
  const auto d = std::make_shared<const Dataset>(make_dataset({{"1", "a", 1 * day},
                                                               {"1", "b", 2 * day},
                                                               {"1", "late", 100 * day},
                                                               {"1", "a", 101 * day},
                                                               {"2", "a", 1 * day},
                                                               {"2", "b", 90 * day},
                                                               {"2", "b", 200 * day},
                                                               {"3", "late", 150 * day},
                                                               {"3", "b", 151 * day}}));
  ProtocolConfig p;
  p.cutoff = {CutoffChoice::Kind::fixed, 100 * day};
  p.meta_fraction = 0.0;
  const DataStats s = compute_stats(Split(d, p));
  BOOST_TEST(s.num_items == 3);
  BOOST_TEST(s.group[0].counts.users + s.group[1].counts.users == 3);
  BOOST_TEST(s.new_items == 1);
  BOOST_TEST(s.new_item_interactions == 2);
  BOOST_TEST(s.new_users == 1);
  BOOST_TEST(s.validation_targets_unseen == 1);  // user 1's validation target is "late"
  BOOST_TEST(s.test_targets_unseen == 0);        // user 1's test target "a" was trained on
  const std::string text = stats_text(s);
  BOOST_TEST(contains(text, "| test | 3 | "));
  BOOST_TEST(contains(text, "cutoff T: 1970-04-11"));
  const std::string json = stats_json(s, "{\"version\": \"x\"}");
  BOOST_TEST(contains(json, "\"table1\": {\"items\": 3"));
  BOOST_TEST(contains(json, "\"build\": {\"version\": \"x\"}"));
  BOOST_TEST(contains(json, "\"new_items\": 1"));
}

BOOST_AUTO_TEST_CASE(json_is_well_formed_enough_to_balance) {
  const auto d = std::make_shared<const Dataset>(
      build_dataset(generate_synthetic(parse_synthetic_spec("synthetic:users=100,items=60,topics=3")).log, {}, 0));
  DataStats s = compute_stats(Split(d, ProtocolConfig{}));
  s.cutoff_scan = scan_cutoffs(*d, GroupConfig{});
  s.cache = "off \"quoted\"";
  const std::string json = stats_json(s, "{}");
  int depth = 0, min_depth = 0;
  bool in_string = false;
  for (size_t k = 0; k < json.size(); ++k) {
    const char c = json[k];
    if (in_string) {
      if (c == '\\')
        ++k;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    if (c == '{' || c == '[') ++depth;
    if (c == '}' || c == ']') min_depth = std::min(min_depth, --depth);
  }
  BOOST_TEST(depth == 0);
  BOOST_TEST(min_depth == 0);
  BOOST_TEST(!in_string);
  BOOST_TEST(contains(json, "\"cutoff_scan\": ["));
}

BOOST_AUTO_TEST_SUITE_END()
