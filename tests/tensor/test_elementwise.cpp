#include <boost/test/unit_test.hpp>
#include <vector>

#include "../common/test_util.h"
#include "tensor/functional.h"
#include "tensor/kernels/elementwise.h"

using namespace l2;
using namespace l2::test;
using kernels::Binary;
using kernels::Broadcast;
using kernels::Unary;

namespace {
const Unary kUnary[] = {Unary::Neg, Unary::Exp, Unary::Log, Unary::Sqrt,
                        Unary::Relu, Unary::Sigmoid, Unary::Tanh, Unary::Square};
const Binary kBinary[] = {Binary::Add, Binary::Sub, Binary::Mul, Binary::Div};

// Inputs inside each op's domain, away from relu's kink.
std::vector<float> unary_input(Unary op, std::int64_t n, std::uint64_t seed) {
  if (op == Unary::Log || op == Unary::Sqrt) return random_vector(n, seed, 0.1f, 5.0f);
  auto x = random_vector(n, seed, -4.0f, 4.0f);
  if (op == Unary::Relu)
    for (auto& v : x) v = std::fabs(v) < 0.05f ? 0.5f : v;
  return x;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(elementwise_kernels)

BOOST_AUTO_TEST_CASE(unary_forward_and_backward_match_reference) {
  for (Unary op : kUnary)
    for (std::int64_t n : kAwkwardSizes) {
      auto x = unary_input(op, n, 1000 + n);
      std::vector<float> y(static_cast<size_t>(n)), yr(static_cast<size_t>(n));
      kernels::unary_forward(op, y.data(), x.data(), n);
      kernels::unary_forward_ref(op, yr.data(), x.data(), n);
      BOOST_TEST(max_rel_err(y, yr) < 2e-6, kernels::unary_name(op) << " forward n=" << n);
      auto dy = random_vector(n, 7);
      std::vector<float> dx(static_cast<size_t>(n), 0.25f), dxr(static_cast<size_t>(n), 0.25f);  // backward must add to 0.25
      kernels::unary_backward(op, dx.data(), dy.data(), x.data(), yr.data(), n);
      kernels::unary_backward_ref(op, dxr.data(), dy.data(), x.data(), yr.data(), n);
      BOOST_TEST(max_rel_err(dx, dxr) < 2e-6, kernels::unary_name(op) << " backward n=" << n);
    }
}

BOOST_AUTO_TEST_CASE(unary_values_are_right) {
  const std::vector<float> x = {-2.0f, 0.0f, 1.0f};
  std::vector<float> y(3);
  kernels::unary_forward(Unary::Sigmoid, y.data(), x.data(), 3);
  BOOST_TEST(y[1] == 0.5f);
  BOOST_TEST(std::fabs(y[0] - 1.0f / (1.0f + std::exp(2.0f))) < 1e-7f);
  kernels::unary_forward(Unary::Relu, y.data(), x.data(), 3);
  BOOST_TEST((y[0] == 0.0f && y[2] == 1.0f));
  // Saturation: no NaN for large magnitudes.
  const std::vector<float> big = {-100.0f, 100.0f, -1e30f, 1e30f, 0, 0, 0, 0, 0};
  std::vector<float> s(big.size());
  kernels::unary_forward(Unary::Sigmoid, s.data(), big.data(), std::int64_t(big.size()));
  for (float v : s) BOOST_TEST(std::isfinite(v));
  kernels::unary_forward(Unary::Tanh, s.data(), big.data(), std::int64_t(big.size()));
  BOOST_TEST((s[2] == -1.0f && s[3] == 1.0f));
}

BOOST_AUTO_TEST_CASE(pow_backward) {
  std::vector<float> x = {0.5f, 2.0f, 3.0f}, y(3), dx(3, 0.0f), dy = {1.0f, 1.0f, 2.0f};
  kernels::pow_forward(y.data(), x.data(), 3.0f, 3);
  BOOST_TEST(std::fabs(y[1] - 8.0f) < 1e-6f);
  kernels::pow_backward(dx.data(), dy.data(), x.data(), 3.0f, 3);
  BOOST_TEST(std::fabs(dx[2] - 2.0f * 3.0f * 9.0f) < 1e-4f);
}

BOOST_AUTO_TEST_CASE(broadcast_patterns) {
  using K = Broadcast::Kind;
  BOOST_TEST(kernels::broadcast_for("t", Shape{4, 5}, Shape{4, 5}).kind == K::Same);
  BOOST_TEST(kernels::broadcast_for("t", Shape{4, 5}, Shape{5}).kind == K::Row);
  BOOST_TEST(kernels::broadcast_for("t", Shape{3, 4, 5}, Shape{4, 5}).kind == K::Row);
  BOOST_TEST(kernels::broadcast_for("t", Shape{3, 4, 5}, Shape{3, 4, 1}).kind == K::Column);
  BOOST_TEST(kernels::broadcast_for("t", Shape{3, 4, 5}, Shape{3, 4}).kind == K::Column);
  BOOST_TEST(kernels::broadcast_for("t", Shape{3, 4, 5}, Shape{1}).kind == K::Scalar);
  BOOST_CHECK_THROW(kernels::broadcast_for("t", Shape{3, 4, 5}, Shape{4}), Error);
  BOOST_CHECK_THROW(kernels::broadcast_for("t", Shape{3, 4, 5}, Shape{5, 4}), Error);
}

BOOST_AUTO_TEST_CASE(binary_forward_and_backward_match_reference_for_every_broadcast) {
  struct Case {
    Shape a, b;
  };
  std::vector<Case> cases;
  for (std::int64_t n : kAwkwardSizes) {
    cases.push_back({Shape{n}, Shape{n}});           // same
    cases.push_back({Shape{3, n}, Shape{n}});        // row: [N,C] with [C]
    cases.push_back({Shape{2, 3, n}, Shape{3, n}});  // row: [B,T,C] with [T,C]
    cases.push_back({Shape{n, 5}, Shape{n, 1}});     // column
    cases.push_back({Shape{2, n, 3}, Shape{2, n}});  // column without the trailing 1
    cases.push_back({Shape{n}, Shape{1}});           // scalar
  }
  cases.push_back({Shape{40000, 9}, Shape{9}});  // row broadcast over many blocks of rows
  cases.push_back({Shape{70000}, Shape{1}});     // scalar over many sum blocks
  std::uint64_t seed = 100;
  for (const Case& c : cases)
    for (Binary op : kBinary) {
      const Broadcast bc = kernels::broadcast_for("test", c.a, c.b);
      auto a = random_vector(c.a.numel(), seed++);
      auto b = random_vector(c.b.numel(), seed++, 0.5f, 2.0f);  // away from 0 for div
      std::vector<float> o(a.size()), r(a.size());
      kernels::binary_forward(op, o.data(), a.data(), b.data(), bc);
      kernels::binary_forward_ref(op, r.data(), a.data(), b.data(), bc);
      BOOST_TEST(max_rel_err(o, r) == 0.0, kernels::binary_name(op) << " " << c.a << " with " << c.b);
      auto dy = random_vector(c.a.numel(), seed++);
      std::vector<float> da(a.size(), 0.5f), dar = da, db(b.size(), -0.5f), dbr = db;
      kernels::binary_backward(op, da.data(), db.data(), dy.data(), a.data(), b.data(), bc);
      kernels::binary_backward_ref(op, dar.data(), dbr.data(), dy.data(), a.data(), b.data(), bc);
      BOOST_TEST(max_rel_err(da, dar) < 1e-6, kernels::binary_name(op) << " da " << c.a << " with " << c.b);
      const double tol = 2e-6 * std::sqrt(double(c.a.numel() / c.b.numel()));  // sums in another order
      BOOST_TEST(max_rel_err(db, dbr) < tol, kernels::binary_name(op) << " db " << c.a << " with " << c.b);
    }
}

BOOST_AUTO_TEST_CASE(blas1_helpers) {
  for (std::int64_t n : kAwkwardSizes) {
    auto x = random_vector(n, 1), y = random_vector(n, 2), yr = y;
    kernels::axpy(0.3f, x.data(), y.data(), n);
    kernels::axpy_ref(0.3f, x.data(), yr.data(), n);
    BOOST_TEST(max_rel_err(y, yr) < 1e-6);
    kernels::scale(y.data(), -2.0f, n);
    kernels::scale_ref(yr.data(), -2.0f, n);
    BOOST_TEST(max_rel_err(y, yr) < 1e-6);
    BOOST_TEST(std::fabs(kernels::dot(x.data(), y.data(), n) - kernels::dot_ref(x.data(), y.data(), n)) <
               1e-5 * std::sqrt(double(n)));
    kernels::fill(y.data(), 3.0f, n);
    BOOST_TEST(y[size_t(n - 1)] == 3.0f);
    kernels::add_scalar(yr.data(), y.data(), 1.0f, n);
    BOOST_TEST(yr[0] == 4.0f);
  }
}

BOOST_AUTO_TEST_SUITE_END()
