#include <boost/test/unit_test.hpp>

#include "../common/test_util.h"
#include "tensor/kernels/embedding.h"

using namespace l2;
using namespace l2::test;

BOOST_AUTO_TEST_SUITE(embedding_kernels)

BOOST_AUTO_TEST_CASE(gather_copies_rows) {
  const std::int64_t V = 11, C = 17;
  auto table = random_vector(V * C, 1);
  std::vector<std::int32_t> ids = {3, 0, 10, 3};
  std::vector<float> out(ids.size() * C);
  kernels::gather_rows(out.data(), table.data(), ids.data(), 4, C);
  for (size_t n = 0; n < ids.size(); ++n)
    BOOST_TEST(bit_equal(out.data() + n * C, table.data() + ids[n] * C, C * sizeof(float)));
}

BOOST_AUTO_TEST_CASE(scatter_add_equals_sequential_loop_bitwise) {
  for (std::int64_t C : kAwkwardSizes) {
    const std::int64_t V = 50, N = 3000;
    Generator g(C);
    std::vector<std::int32_t> ids(static_cast<size_t>(N));
    for (auto& i : ids) i = std::int32_t(g.integer(0, V / 2) * 2);  // even ids only: odd rows untouched
    auto dout = random_vector(N * C, 2);
    std::vector<float> d(static_cast<size_t>(V * C), 0.5f), r = d;
    std::vector<std::int32_t> touched;
    kernels::scatter_add_rows(d.data(), dout.data(), ids.data(), N, C, V, 0, &touched);
    kernels::scatter_add_rows_ref(r.data(), dout.data(), ids.data(), N, C, 0);
    BOOST_TEST(bit_equal(d, r), "C=" << C);
    BOOST_TEST(touched.front() == 2);  // id 0 skipped (padding)
    for (size_t k = 1; k < touched.size(); ++k) BOOST_TEST(touched[k] > touched[k - 1]);
    BOOST_TEST(d[0] == 0.5f);      // padding row never receives gradient
    BOOST_TEST(d[size_t(C)] == 0.5f);  // odd row untouched
  }
}

BOOST_AUTO_TEST_SUITE_END()
