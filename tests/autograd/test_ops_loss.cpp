#include "gradcheck_util.h"
#include "tensor/kernels/loss.h"

using namespace l2;
using namespace l2::test;

BOOST_AUTO_TEST_SUITE(ops_loss_suite)

BOOST_AUTO_TEST_CASE(bce_with_logits_gradcheck_and_values) {
  Tensor z = random_tensor(Shape{3, 37}, 1, -4.0f, 4.0f);
  Tensor t = Tensor::zeros(Shape{3, 37});
  for (std::int64_t i = 0; i < t.numel(); i += 2) t[i] = 1.0f;
  expect_gradients("bce_with_logits", [t](const std::vector<Var>& v) { return bce_with_logits(v[0], t); }, {z});
  std::vector<float> ref(static_cast<size_t>(z.numel()));
  kernels::bce_with_logits_forward_ref(ref.data(), z.data(), t.data(), z.numel());
  Var y = bce_with_logits(constant(z), t);
  BOOST_TEST(max_rel_err(y->value.data(), ref.data(), z.numel()) < 1e-5);
  // Extreme logits stay finite: the loss of a confident right answer is ~0, of a wrong one ~|z|.
  Tensor ext = Tensor::from(Shape{4}, {100.0f, -100.0f, 100.0f, -100.0f});
  Tensor lab = Tensor::from(Shape{4}, {1.0f, 0.0f, 0.0f, 1.0f});
  Var e = bce_with_logits(constant(ext), lab);
  BOOST_TEST((e->value[0] < 1e-6f && e->value[1] < 1e-6f));
  BOOST_TEST((std::fabs(e->value[2] - 100.0f) < 1e-3f && std::fabs(e->value[3] - 100.0f) < 1e-3f));
}

BOOST_AUTO_TEST_CASE(cross_entropy_gradcheck_and_values) {
  Tensor z = random_tensor(Shape{4, 11}, 2, -3.0f, 3.0f);
  IndexTensor t = IndexTensor::from(Shape{4}, {0, 10, 5, 5});
  expect_gradients("cross_entropy", [t](const std::vector<Var>& v) { return cross_entropy(v[0], t); }, {z});
  Var y = cross_entropy(constant(z), t);
  for (int n = 0; n < 4; ++n) {
    double s = 0;
    for (int k = 0; k < 11; ++k) s += std::exp(double(z[n * 11 + k]));
    BOOST_TEST(std::fabs(y->value[n] - (std::log(s) - z[n * 11 + t[n]])) < 1e-5);
  }
  BOOST_CHECK_THROW(cross_entropy(constant(z), IndexTensor::from(Shape{4}, {0, 11, 0, 0})), Error);
}

BOOST_AUTO_TEST_SUITE_END()
