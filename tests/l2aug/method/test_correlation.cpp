#include <boost/test/unit_test.hpp>
#include <cmath>

#include "l2aug/method/correlation.h"
#include "tensor/check.h"

using namespace l2::method;

BOOST_AUTO_TEST_SUITE(correlation_suite)

// Hand-made co-occurrence: users {1,2,3}, {1,2}, {1,4}, {5}.
// N(1) = 3 users, N(2) = 2, N(3) = 1, N(4) = 1, N(5) = 1.
// corr(1,2) = 2/sqrt(6) = 0.816, corr(1,3) = 1/sqrt(3) = 0.577, corr(1,4) = 0.577,
// corr(2,3) = 1/sqrt(2) = 0.707, corr(3,2) = 0.707, corr(3,1) = 0.577, item 5 shares no user.
BOOST_AUTO_TEST_CASE(inverse_user_frequency_on_a_hand_made_example) {
  const std::vector<std::vector<std::int32_t>> users = {{1, 2, 3}, {2, 1, 1}, {4, 1}, {5}};
  std::vector<std::span<const std::int32_t>> spans(users.begin(), users.end());
  const ItemCorrelation c(spans, 5, 3);
  BOOST_TEST(c.most_correlated(1) == 2);
  BOOST_TEST(std::fabs(c.score(1, 0) - 2.0 / std::sqrt(6.0)) < 1e-6);
  BOOST_TEST(c.partners(1)[1] == 3);  // ties between 3 and 4 go to the lower id
  BOOST_TEST(c.partners(1)[2] == 4);
  BOOST_TEST(c.most_correlated(2) == 1);
  BOOST_TEST(c.most_correlated(3) == 2);
  BOOST_TEST(std::fabs(c.score(3, 0) - 1.0 / std::sqrt(2.0)) < 1e-6);
  BOOST_TEST(c.most_correlated(4) == 1);
  BOOST_TEST(c.most_correlated(5) == 0);  // no partner
  BOOST_CHECK_THROW(ItemCorrelation(spans, 4, 3), l2::Error);  // item 5 out of range
}

BOOST_AUTO_TEST_SUITE_END()
