#include <boost/test/unit_test.hpp>

#include "../common/test_util.h"
#include "tensor/kernels/topk.h"

using namespace l2;
using namespace l2::test;

BOOST_AUTO_TEST_SUITE(topk_kernels)

BOOST_AUTO_TEST_CASE(topk_matches_a_full_sort) {
  for (std::int64_t C : kAwkwardSizes) {
    const std::int64_t N = 4, k = std::min<std::int64_t>(C, 10);
    auto s = random_vector(N * C, C);
    for (std::int64_t i = 0; i < N * C; i += 3) s[size_t(i)] = 0.5f;  // many ties
    std::vector<std::int32_t> idx(static_cast<size_t>(N * k)), idr(static_cast<size_t>(N * k));
    std::vector<float> val(static_cast<size_t>(N * k)), vr(static_cast<size_t>(N * k));
    kernels::topk_rows(idx.data(), val.data(), s.data(), N, C, k);
    kernels::topk_rows_ref(idr.data(), vr.data(), s.data(), N, C, k);
    BOOST_TEST(idx == idr, "C=" << C);
    BOOST_TEST(val == vr);
  }
}

BOOST_AUTO_TEST_CASE(rank_counts_ties_against_the_target) {
  const std::vector<float> row = {0.1f, 0.9f, 0.5f, 0.5f, 0.5f, 0.2f, 0.5f, 0.5f, 0.5f, 0.3f};
  // target 2 scores 0.5: one higher (0.9), five other equal -> rank 1 + 1 + 5 = 7
  BOOST_TEST(kernels::rank_of_target(row.data(), 10, 2) == 7);
  BOOST_TEST(kernels::rank_of_target_ref(row.data(), 10, 2) == 7);
  BOOST_TEST(kernels::rank_of_target(row.data(), 10, 1) == 1);
  BOOST_TEST(kernels::rank_of_target(row.data(), 10, 0) == 10);
  // A constant model ranks every target last.
  const std::vector<float> flat(100, 1.0f);
  BOOST_TEST(kernels::rank_of_target(flat.data(), 100, 37) == 100);
  // NaN target ranks last; NaN elsewhere never counts as higher.
  std::vector<float> nan_row = row;
  nan_row[2] = NAN;
  BOOST_TEST(kernels::rank_of_target(nan_row.data(), 10, 2) == 10);
  nan_row = row;
  nan_row[0] = NAN;
  BOOST_TEST(kernels::rank_of_target(nan_row.data(), 10, 1) == 1);
}

BOOST_AUTO_TEST_CASE(rank_matches_reference_on_awkward_sizes) {
  for (std::int64_t C : kAwkwardSizes) {
    auto s = random_vector(3 * C, C + 1);
    for (std::int64_t i = 0; i < 3 * C; i += 4) s[size_t(i)] = 0.25f;
    std::vector<std::int32_t> targets = {0, std::int32_t(C / 2), std::int32_t(C - 1)};
    std::vector<std::int64_t> ranks(3);
    kernels::rank_of_targets(ranks.data(), s.data(), targets.data(), 3, C);
    for (int n = 0; n < 3; ++n)
      BOOST_TEST(ranks[size_t(n)] == kernels::rank_of_target_ref(s.data() + n * C, C, targets[size_t(n)]));
  }
}

BOOST_AUTO_TEST_SUITE_END()
