#include <boost/test/unit_test.hpp>

#include "recsys/data/cutoffs.h"
#include "recsys/data/dates.h"
#include "recsys/data/split.h"
#include "recsys_test_util.h"

using namespace l2::recsys;
using l2::test::contains;
using l2::test::make_dataset;

namespace {

std::int64_t at(const char* date) {
  std::int64_t t = 0;
  BOOST_REQUIRE(parse_iso_datetime(date, t));
  return t;
}

// Two core users whose short bursts straddle 2010-04-01 and 2010-06-01, two casual users spread
// over the year (17 interactions).
std::vector<l2::test::Row> cutoff_rows() {
  std::vector<l2::test::Row> r;
  for (const char* d : {"2010-03-29", "2010-03-30", "2010-03-31", "2010-04-01", "2010-04-02"})
    r.push_back({"A", d, at(d)});
  for (const char* d : {"2010-05-30", "2010-05-31", "2010-06-01", "2010-06-02", "2010-06-03"})
    r.push_back({"B", d, at(d)});
  for (const char* d : {"2010-01-15", "2010-04-15", "2010-07-15", "2010-10-15"}) r.push_back({"C", d, at(d)});
  for (const char* d : {"2010-02-01", "2010-06-01", "2010-09-01"}) r.push_back({"D", d, at(d)});
  return r;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cutoffs_suite)

BOOST_AUTO_TEST_CASE(default_table) {
  const DefaultCutoff* beauty = find_default_cutoff("beauty");
  BOOST_REQUIRE(beauty);
  BOOST_TEST(cutoff_time(*beauty) == at("2014-02-01"));
  BOOST_TEST(!find_default_cutoff("no-such-dataset"));
  for (const DefaultCutoff& c : default_cutoffs()) BOOST_TEST(format_date(cutoff_time(c)) == std::string(c.date));
}

BOOST_AUTO_TEST_CASE(scan_counts_test_users_per_group) {
  const Dataset d = make_dataset(cutoff_rows());
  const auto scan = scan_cutoffs(d, GroupConfig{});
  BOOST_TEST(scan.size() == 9u);  // 2010-02-01 .. 2010-10-01
  BOOST_TEST(format_date(scan.front().time) == "2010-02-01");
  const CutoffCandidate& april = scan[2];
  BOOST_TEST(format_date(april.time) == "2010-04-01");
  BOOST_TEST(april.test[size_t(Group::core)] == 1);    // A: 3 before, 2 after
  BOOST_TEST(april.test[size_t(Group::casual)] == 2);  // C and D
  BOOST_TEST(april.train_fraction == 5.0 / 17.0, boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(auto_rule_keeps_half_for_training_and_maximises_the_smaller_group) {
  const Dataset d = make_dataset(cutoff_rows());
  // 2010-04-01 has a core test user but trains on 5/17 of the data; 2010-05-01 on 8/17 < 1/2;
  // 2010-06-01 trains on 10/17 with 1 core (B) and 2 casual test users; later months have no core one.
  BOOST_TEST(format_date(choose_cutoff(d, GroupConfig{})) == "2010-06-01");
}

BOOST_AUTO_TEST_CASE(resolution_names_where_the_cutoff_came_from) {
  const auto d = std::make_shared<const Dataset>(make_dataset(cutoff_rows(), {}, "beauty"));
  ProtocolConfig p;
  BOOST_TEST(resolve_cutoff(*d, p).origin == "default for 'beauty'");
  BOOST_TEST(resolve_cutoff(*d, p).time == at("2014-02-01"));
  const Dataset other = make_dataset(cutoff_rows(), {}, "mine");
  const ResolvedCutoff r = resolve_cutoff(other, p);
  BOOST_TEST(r.origin == "auto (no default for 'mine')");
  BOOST_TEST(r.time == at("2010-06-01"));
  p.cutoff = {CutoffChoice::Kind::fixed, 123};
  BOOST_TEST(resolve_cutoff(other, p).origin == "given");
  // The Split keeps the resolved time in its config.
  const Split s(d, ProtocolConfig{});
  BOOST_TEST(int(s.config().cutoff.kind) == int(CutoffChoice::Kind::fixed));
  BOOST_TEST(s.config().cutoff.time == at("2014-02-01"));
}

BOOST_AUTO_TEST_CASE(no_usable_month_is_an_error) {
  const Dataset d = make_dataset({{"u", "a", at("2010-01-05")}, {"u", "b", at("2010-01-09")}});
  BOOST_TEST(contains(l2::test::error_of([&] { choose_cutoff(d, GroupConfig{}); }), "give --cutoff"));
}

BOOST_AUTO_TEST_SUITE_END()
