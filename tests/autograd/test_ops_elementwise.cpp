#include "gradcheck_util.h"

using namespace l2;
using namespace l2::test;

BOOST_AUTO_TEST_SUITE(ops_elementwise_suite)

// Odd sizes exercise the SIMD tails; every broadcast pattern of the binary ops.
BOOST_AUTO_TEST_CASE(binary_ops_gradcheck_every_broadcast) {
  const std::vector<std::pair<Shape, Shape>> shapes = {
      {Shape{37}, Shape{37}},        {Shape{3, 37}, Shape{37}},  {Shape{2, 3, 17}, Shape{3, 17}},
      {Shape{2, 5, 9}, Shape{2, 5, 1}}, {Shape{2, 5, 9}, Shape{2, 5}}, {Shape{4, 9}, Shape{1}}};
  using Fn = Var (*)(const Var&, const Var&);
  const std::pair<const char*, Fn> ops[] = {{"add", add}, {"sub", sub}, {"mul", mul}, {"div", div}};
  std::uint64_t seed = 1;
  for (const auto& [sa, sb] : shapes)
    for (const auto& op : ops) {
      const auto& [name, fn_ref] = op;
      const auto fn = fn_ref;  // a copy: clang 14 cannot capture a structured binding
      Tensor a = random_tensor(sa, seed++), b = random_tensor(sb, seed++, 0.5f, 1.5f);
      expect_gradients(std::string(name) + " " + sa.str() + " with " + sb.str(),
                       [fn](const std::vector<Var>& x) { return fn(x[0], x[1]); }, {a, b});
    }
}

BOOST_AUTO_TEST_CASE(unary_ops_gradcheck) {
  Tensor x = random_tensor(Shape{3, 37}, 2, -2.0f, 2.0f);
  Tensor pos = random_tensor(Shape{3, 37}, 3, 0.5f, 3.0f);
  Tensor kinkless = random_tensor(Shape{3, 37}, 4, 0.2f, 2.0f);
  for (std::int64_t i = 0; i < kinkless.numel(); i += 2) kinkless[i] = -kinkless[i];  // both sides of 0, away from it
  auto one = [](Var (*fn)(const Var&)) { return [fn](const std::vector<Var>& v) { return fn(v[0]); }; };
  expect_gradients("neg", one(neg), {x});
  expect_gradients("exp", one(exp), {x});
  expect_gradients("log", one(log), {pos});
  expect_gradients("sqrt", one(sqrt), {pos});
  expect_gradients("relu", one(relu), {kinkless});
  expect_gradients("sigmoid", one(sigmoid), {x});
  expect_gradients("tanh", one(tanh), {x});
  expect_gradients("scale", [](const std::vector<Var>& v) { return scale(v[0], -2.5f); }, {x});
  expect_gradients("add_scalar", [](const std::vector<Var>& v) { return add_scalar(v[0], 3.0f); }, {x});
  expect_gradients("pow 3", [](const std::vector<Var>& v) { return pow(v[0], 3.0f); }, {x});
  expect_gradients("pow -0.5", [](const std::vector<Var>& v) { return pow(v[0], -0.5f); }, {pos});
}

BOOST_AUTO_TEST_CASE(masked_fill_gradcheck_and_values) {
  // Causal [T, T] over [B, T, T]; key padding [B, 1, T]; per-row [B, T] over [B, T, C].
  const std::int64_t B = 2, T = 5, C = 3;
  IndexTensor causal = IndexTensor::zeros(Shape{T, T}), keys = IndexTensor::zeros(Shape{B, 1, T}),
              rows = IndexTensor::zeros(Shape{B, T});
  for (std::int64_t i = 0; i < T; ++i)
    for (std::int64_t j = i + 1; j < T; ++j) causal[i * T + j] = 1;
  keys[0] = keys[1] = 1;  // first two keys of batch 0 are padding
  rows[3] = 1;
  Tensor s = random_tensor(Shape{B, T, T}, 5);
  for (const IndexTensor& m : {causal, keys}) {
    expect_gradients("masked_fill " + m.shape().str(),
                     [m](const std::vector<Var>& v) { return masked_fill(v[0], m, -7.0f); }, {s});
  }
  expect_gradients("masked_fill [B,T] over [B,T,C]",
                   [rows](const std::vector<Var>& v) { return masked_fill(v[0], rows, 0.0f); },
                   {random_tensor(Shape{B, T, C}, 6)});
  Var y = masked_fill(constant(s), causal, -7.0f);
  BOOST_TEST(y->value[1] == -7.0f);         // (0, 0, 1) is above the diagonal
  BOOST_TEST(y->value[T] == s[T]);          // (0, 1, 0) is not
  Var z = masked_fill(constant(s), keys, -7.0f);
  BOOST_TEST((z->value[T * 3 + 1] == -7.0f && z->value[T * T + 1] == s[T * T + 1]));
  BOOST_CHECK_THROW(masked_fill(constant(s), IndexTensor::zeros(Shape{3, T}), 0.0f), Error);
}

BOOST_AUTO_TEST_SUITE_END()
