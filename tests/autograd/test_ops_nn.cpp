#include "gradcheck_util.h"

using namespace l2;
using namespace l2::test;

BOOST_AUTO_TEST_SUITE(ops_nn_suite)

BOOST_AUTO_TEST_CASE(softmax_and_log_softmax_gradcheck) {
  Tensor x = random_tensor(Shape{3, 4, 17}, 1, -3.0f, 3.0f);
  expect_gradients("softmax", [](const std::vector<Var>& v) { return softmax(v[0]); }, {x});
  expect_gradients("log_softmax", [](const std::vector<Var>& v) { return log_softmax(v[0]); }, {x});
}

BOOST_AUTO_TEST_CASE(layer_norm_gradcheck) {
  Tensor x = random_tensor(Shape{2, 3, 37}, 2, -2.0f, 2.0f), w = random_tensor(Shape{37}, 3), b = random_tensor(Shape{37}, 4);
  GradcheckOptions o;
  o.eps = 5e-3f;
  expect_gradients("layer_norm", [](const std::vector<Var>& v) { return layer_norm(v[0], v[1], v[2], 1e-8f); }, {x, w, b}, o);
}

BOOST_AUTO_TEST_CASE(dropout_gradcheck_mask_and_rate) {
  Tensor x = random_tensor(Shape{5, 37}, 5);
  expect_gradients("dropout", [](const std::vector<Var>& v) { return dropout(v[0], 0.3f, 42, 7); }, {x});
  // Same (seed, stream): same mask; other stream: another mask; kept fraction near 1 - p.
  Tensor big = Tensor::full(Shape{100000}, 1.0f);
  Var a = dropout(constant(big), 0.3f, 42, 7), b = dropout(constant(big), 0.3f, 42, 7), c = dropout(constant(big), 0.3f, 42, 8);
  BOOST_TEST(a->value.to_vector() == b->value.to_vector());
  BOOST_TEST(a->value.to_vector() != c->value.to_vector());
  double kept = 0, total = 0;
  for (std::int64_t i = 0; i < big.numel(); ++i) {
    kept += a->value[i] != 0.0f;
    total += a->value[i];
  }
  BOOST_TEST(std::fabs(kept / 1e5 - 0.7) < 0.01);
  BOOST_TEST(std::fabs(total / 1e5 - 1.0) < 0.02);  // inverted dropout keeps the expectation
  Var x0 = constant(big);
  BOOST_TEST(dropout(x0, 0.0f, 1, 1) == x0);  // p = 0 is the identity
}

BOOST_AUTO_TEST_SUITE_END()
