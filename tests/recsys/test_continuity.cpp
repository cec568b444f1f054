#include <boost/test/unit_test.hpp>
#include <cmath>

#include "recsys/data/continuity.h"
#include "recsys_test_util.h"

using namespace l2::recsys;
using l2::test::make_dataset;

BOOST_AUTO_TEST_SUITE(continuity_suite)

BOOST_AUTO_TEST_CASE(leave_self_out_cosine_by_hand) {
  // All interactions are training ones (the cutoff is after them). Users and sequences:
  //   1: a b      2: a b     3: a c     4: b c d
  // Users of a: {1,2,3}, b: {1,2,4}, c: {3,4}, d: {4}.
  // Pairs: (a,b) from 1 and 2: (|{1,2}| - 1) / sqrt(2 * 2) = 0.5 each;
  //        (a,c) from 3: (|{3}| - 1) / sqrt(2 * 1) = 0;  (b,c) from 4: (1 - 1)/... = 0;
  //        (c,d) from 4: d has no other user -> 0.
  const std::int64_t day = 86400;
  const auto d = std::make_shared<const Dataset>(make_dataset({{"1", "a", 0},
                                                               {"1", "b", 100 * day},
                                                               {"2", "a", 0},
                                                               {"2", "b", 100 * day},
                                                               {"3", "a", 0},
                                                               {"3", "c", 100 * day},
                                                               {"4", "b", 0},
                                                               {"4", "c", day},
                                                               {"4", "d", 2 * day}}));
  ProtocolConfig p;
  p.cutoff = {CutoffChoice::Kind::fixed, 1000 * day};
  p.meta_fraction = 0.0;
  const Split s(d, p);
  BOOST_TEST(int(s.group(4)) == int(Group::core));  // gaps of 1 day; users 1-3: 100 days, casual
  const auto c = interest_continuity(s);
  BOOST_TEST(c[size_t(Group::casual)].pairs == 3);
  BOOST_TEST(c[size_t(Group::casual)].mean == (0.5 + 0.5 + 0.0) / 3.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(c[size_t(Group::core)].pairs == 2);
  BOOST_TEST(c[size_t(Group::core)].mean == 0.0);
}

BOOST_AUTO_TEST_SUITE_END()
