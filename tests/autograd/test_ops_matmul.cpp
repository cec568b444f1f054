#include "gradcheck_util.h"

using namespace l2;
using namespace l2::test;

BOOST_AUTO_TEST_SUITE(ops_matmul_suite)

BOOST_AUTO_TEST_CASE(matmul_gradcheck_every_transpose) {
  for (int ta = 0; ta < 2; ++ta)
    for (int tb = 0; tb < 2; ++tb) {
      const std::int64_t M = 5, N = 7, K = 9;
      // 2-D
      Tensor a = random_tensor(ta ? Shape{K, M} : Shape{M, K}, 1), b = random_tensor(tb ? Shape{N, K} : Shape{K, N}, 2);
      expect_gradients("matmul ta=" + std::to_string(ta) + " tb=" + std::to_string(tb),
                       [ta, tb](const std::vector<Var>& v) { return matmul(v[0], v[1], ta, tb); }, {a, b});
      // batched [B, H, ., .]
      Tensor ab = random_tensor(ta ? Shape{2, 3, K, M} : Shape{2, 3, M, K}, 3);
      Tensor bb = random_tensor(tb ? Shape{2, 3, N, K} : Shape{2, 3, K, N}, 4);
      expect_gradients("batched matmul ta=" + std::to_string(ta) + " tb=" + std::to_string(tb),
                       [ta, tb](const std::vector<Var>& v) { return matmul(v[0], v[1], ta, tb); }, {ab, bb});
    }
  // [B, T, C] with a shared [C, D] or [D, C] matrix (a Linear layer, and scoring against an item table)
  Tensor x = random_tensor(Shape{3, 4, 6}, 5);
  expect_gradients("rows x W", [](const std::vector<Var>& v) { return matmul(v[0], v[1]); }, {x, random_tensor(Shape{6, 5}, 6)});
  expect_gradients("rows x W^T", [](const std::vector<Var>& v) { return matmul(v[0], v[1], false, true); },
                   {x, random_tensor(Shape{5, 6}, 7)});
}

// linear fuses matmul and the bias add: gradients by finite differences, and equal to the
// composition in value and in every gradient.
BOOST_AUTO_TEST_CASE(linear_gradcheck_and_equals_matmul_plus_bias) {
  Tensor x = random_tensor(Shape{3, 4, 6}, 8), w = random_tensor(Shape{6, 5}, 9), b = random_tensor(Shape{5}, 10);
  expect_gradients("linear", [](const std::vector<Var>& v) { return linear(v[0], v[1], v[2]); }, {x, w, b});
  expect_gradients("linear without bias", [](const std::vector<Var>& v) { return linear(v[0], v[1], nullptr); }, {x, w});
  std::vector<Var> f = {parameter(x.clone()), parameter(w.clone()), parameter(b.clone())};
  std::vector<Var> c = {parameter(x.clone()), parameter(w.clone()), parameter(b.clone())};
  Var yf = linear(f[0], f[1], f[2]), yc = add(matmul(c[0], c[1]), c[2]);
  BOOST_TEST(max_rel_err(yf->value.data(), yc->value.data(), yf->value.numel()) < 1e-6);
  const Tensor R = random_tensor(yf->shape(), 11);
  backward(yf, R);
  backward(yc, R);
  for (size_t i = 0; i < f.size(); ++i)
    BOOST_TEST(max_rel_err(f[i]->grad.data(), c[i]->grad.data(), f[i]->grad.numel()) < 1e-6, "input " << i);
}

BOOST_AUTO_TEST_SUITE_END()
