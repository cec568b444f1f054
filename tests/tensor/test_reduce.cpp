#include <boost/test/unit_test.hpp>

#include "../common/test_util.h"
#include "tensor/functional.h"
#include "tensor/kernels/reduce.h"

using namespace l2;
using namespace l2::test;

BOOST_AUTO_TEST_SUITE(reduce_kernels)

BOOST_AUTO_TEST_CASE(sum_axis_matches_reference_on_every_layout) {
  for (std::int64_t n : kAwkwardSizes)
    for (auto [outer, A, inner] : std::vector<std::array<std::int64_t, 3>>{
             {1, n, 1}, {3, n, 1}, {1, n, 5}, {1, 5, n}, {2, n, 3}, {n, 4, 2}, {1, 20000, n % 13 + 1}}) {
      auto x = random_vector(outer * A * inner, 11 + n);
      std::vector<float> o(static_cast<size_t>(outer * inner), 1.0f), r = o;
      kernels::sum_axis(o.data(), x.data(), outer, A, inner, true);
      kernels::sum_axis_ref(r.data(), x.data(), outer, A, inner, true);
      BOOST_TEST(max_rel_err(o, r) < 2e-6 * std::sqrt(double(A)), "outer=" << outer << " A=" << A << " inner=" << inner);
      // Backward: each input receives its output's gradient times scale.
      std::vector<float> dx(x.size(), 0.0f);
      kernels::expand_axis_add(dx.data(), o.data(), outer, A, inner, 0.5f);
      BOOST_TEST(dx[size_t(x.size() - 1)] == 0.5f * o[size_t(o.size() - 1)]);
    }
}

BOOST_AUTO_TEST_CASE(sum_mean_max_through_tensors) {
  Tensor x = Tensor::from(Shape{2, 3}, {1, 2, 3, 4, 5, 6});
  BOOST_TEST(fn::sum(x, 1).to_vector() == (std::vector<float>{6, 15}));
  BOOST_TEST(fn::sum(x, 0).to_vector() == (std::vector<float>{5, 7, 9}));
  BOOST_TEST(fn::mean(x, -1).to_vector() == (std::vector<float>{2, 5}));
  BOOST_TEST(fn::sum_all(x) == 21.0f);
  std::vector<float> m(2);
  kernels::max_last(m.data(), x.data(), 2, 3);
  BOOST_TEST(m == (std::vector<float>{3, 6}));
  BOOST_CHECK_THROW(fn::sum(x, 2), Error);
}

BOOST_AUTO_TEST_CASE(whole_sum_is_accurate) {
  for (std::int64_t n : kAwkwardSizes) {
    auto x = random_vector(n * 37, 5);
    double exact = 0;
    for (float v : x) exact += v;
    BOOST_TEST(std::fabs(parallel_sum(x.data(), n * 37) - exact) < 1e-5 * std::sqrt(double(n * 37)));
    BOOST_TEST(std::fabs(parallel_sum_ref(x.data(), n * 37) - exact) < 1e-5 * std::sqrt(double(n * 37)));
  }
}

BOOST_AUTO_TEST_SUITE_END()
