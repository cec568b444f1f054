#include <boost/test/unit_test.hpp>

#include "../common/test_util.h"
#include "tensor/functional.h"
#include "tensor/kernels/permute.h"

using namespace l2;
using namespace l2::test;

BOOST_AUTO_TEST_SUITE(permute_kernels)

BOOST_AUTO_TEST_CASE(permute_matches_reference) {
  const std::vector<std::pair<Shape, std::vector<int>>> cases = {
      {Shape{7, 17}, {1, 0}},
      {Shape{3, 5, 7}, {0, 2, 1}},
      {Shape{3, 5, 7}, {2, 0, 1}},
      {Shape{2, 63, 3, 17}, {0, 2, 1, 3}},  // [B,T,H,D] -> [B,H,T,D]
      {Shape{2, 3, 4, 5}, {3, 2, 1, 0}}};
  for (const auto& [s, perm] : cases) {
    auto x = random_vector(s.numel(), 1);
    std::vector<float> o(x.size()), r(x.size());
    kernels::permute(o.data(), x.data(), s, perm.data());
    kernels::permute_ref(r.data(), x.data(), s, perm.data());
    BOOST_TEST(o == r, s);
  }
  const int bad[2] = {0, 0};
  BOOST_CHECK_THROW(kernels::permuted_shape(Shape{2, 3}, bad), Error);
}

BOOST_AUTO_TEST_CASE(transpose_swaps_last_two_axes) {
  for (std::int64_t n : kAwkwardSizes) {
    Tensor x = random_tensor(Shape{2, n, 5}, n);
    Tensor t = fn::transpose(x);
    BOOST_TEST(t.shape() == (Shape{2, 5, n}));
    Tensor p = fn::permute(x, {0, 2, 1});
    BOOST_TEST(t.to_vector() == p.to_vector());
    BOOST_TEST(fn::transpose(t).to_vector() == x.to_vector());
  }
}

BOOST_AUTO_TEST_SUITE_END()
