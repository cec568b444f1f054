#include "gradcheck_util.h"

using namespace l2;
using namespace l2::test;

BOOST_AUTO_TEST_SUITE(ops_reduce_suite)

BOOST_AUTO_TEST_CASE(sums_and_means_gradcheck) {
  Tensor x = random_tensor(Shape{3, 5, 17}, 1);
  expect_gradients("sum", [](const std::vector<Var>& v) { return sum(v[0]); }, {x});
  expect_gradients("mean", [](const std::vector<Var>& v) { return mean(v[0]); }, {x});
  for (int axis : {0, 1, 2, -1}) {
    expect_gradients("sum axis " + std::to_string(axis), [axis](const std::vector<Var>& v) { return sum(v[0], axis); }, {x});
    expect_gradients("mean axis " + std::to_string(axis), [axis](const std::vector<Var>& v) { return mean(v[0], axis); }, {x});
  }
}

BOOST_AUTO_TEST_CASE(masked_mean_over_non_padding_positions) {
  Tensor x = random_tensor(Shape{4, 9}, 2);
  Tensor m = Tensor::zeros(Shape{4, 9});
  for (std::int64_t i = 0; i < 36; i += 3) m[i] = 1.0f;
  expect_gradients("masked_mean", [m](const std::vector<Var>& v) { return masked_mean(v[0], m); }, {x});
  Var y = masked_mean(constant(x), m);
  double s = 0;
  for (std::int64_t i = 0; i < 36; i += 3) s += x[i];
  BOOST_TEST(std::fabs(y->value.item() - s / 12.0) < 1e-6);
  BOOST_TEST(masked_mean(constant(x), Tensor::zeros(Shape{4, 9}))->value.item() == 0.0f);  // empty mask: 0, not NaN
}

BOOST_AUTO_TEST_SUITE_END()
