#include <boost/test/unit_test.hpp>

#include "../common/test_util.h"
#include "tensor/kernels/softmax.h"

using namespace l2;
using namespace l2::test;

BOOST_AUTO_TEST_SUITE(softmax_kernels)

BOOST_AUTO_TEST_CASE(forward_and_backward_match_reference) {
  for (std::int64_t C : kAwkwardSizes)
    for (std::int64_t N : {1, 5}) {
      auto x = random_vector(N * C, 3 + C, -5.0f, 5.0f);
      std::vector<float> y(x.size()), yr(x.size()), l(x.size()), lr(x.size());
      kernels::softmax_forward(y.data(), x.data(), N, C);
      kernels::softmax_forward_ref(yr.data(), x.data(), N, C);
      BOOST_TEST(max_rel_err(y, yr) < 1e-6, "softmax C=" << C);
      kernels::log_softmax_forward(l.data(), x.data(), N, C);
      kernels::log_softmax_forward_ref(lr.data(), x.data(), N, C);
      BOOST_TEST(max_rel_err(l, lr) < 2e-6, "log_softmax C=" << C);
      double row = 0;
      for (std::int64_t c = 0; c < C; ++c) row += y[size_t(c)];
      BOOST_TEST(std::fabs(row - 1.0) < 1e-5);

      auto dy = random_vector(N * C, 9);
      std::vector<float> dx(x.size(), 1.0f), dxr = dx, dl = dx, dlr = dx;
      kernels::softmax_backward(dx.data(), dy.data(), yr.data(), N, C);
      kernels::softmax_backward_ref(dxr.data(), dy.data(), yr.data(), N, C);
      BOOST_TEST(max_rel_err(dx, dxr) < 1e-6);
      kernels::log_softmax_backward(dl.data(), dy.data(), lr.data(), N, C);
      kernels::log_softmax_backward_ref(dlr.data(), dy.data(), lr.data(), N, C);
      BOOST_TEST(max_rel_err(dl, dlr) < 1e-5 * std::sqrt(double(C)));
    }
}

BOOST_AUTO_TEST_CASE(large_magnitudes_give_no_nan_or_inf) {
  const std::int64_t C = 37;
  std::vector<float> x(static_cast<size_t>(2 * C));
  for (std::int64_t c = 0; c < C; ++c) {
    x[size_t(c)] = c % 2 ? 1e30f : -1e30f;                // huge spread
    x[size_t(C + c)] = 88.0f + 10.0f * float(c);          // exp would overflow without the shift
  }
  x[3] = -4294967295.0f;  // the TF mask value, -2^32 + 1
  std::vector<float> y(x.size()), l(x.size());
  kernels::softmax_forward(y.data(), x.data(), 2, C);
  kernels::log_softmax_forward(l.data(), x.data(), 2, C);
  for (size_t i = 0; i < x.size(); ++i) {
    BOOST_TEST(std::isfinite(y[i]));
    BOOST_TEST(!std::isnan(l[i]));
  }
  // Row 2 is 88 + 10c: the largest holds 1 / (1 + e^-10 + e^-20 + ...) of the mass.
  BOOST_TEST(std::fabs(y[size_t(2 * C - 1)] - float(1.0 - std::exp(-10.0))) < 1e-6f);
  BOOST_TEST(y[3] == 0.0f);
}

BOOST_AUTO_TEST_SUITE_END()
