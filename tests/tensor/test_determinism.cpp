// Note [Determinism] (tensor/parallel.h): every threaded kernel gives the same bits with 1 and 2 threads.
#include <boost/test/unit_test.hpp>

#include "../common/test_util.h"
#include "tensor/gemm.h"
#include "tensor/kernels/elementwise.h"
#include "tensor/kernels/embedding.h"
#include "tensor/kernels/layer_norm.h"
#include "tensor/kernels/reduce.h"
#include "tensor/kernels/softmax.h"
#include "tensor/kernels/topk.h"

using namespace l2;
using namespace l2::test;

BOOST_AUTO_TEST_SUITE(thread_determinism)

BOOST_AUTO_TEST_CASE(gemm_is_bit_identical_across_thread_counts) {
  // The model shapes (rows x width x width, the item-score product), one small enough to be a
  // single unsplit call, and a batched attention product.
  for (const auto& shape : std::vector<std::array<std::int64_t, 3>>{{6400, 64, 64}, {6400, 100, 100}, {512, 20000, 100}, {32, 64, 64}}) {
    const std::int64_t M = shape[0], N = shape[1], K = shape[2];  // lambdas capture these
    auto A = random_vector(M * K, 1), B = random_vector(K * N, 2);
    auto [c1, c2] = with_1_and_2_threads([&] {
      std::vector<float> C(static_cast<size_t>(M * N));
      gemm(false, true, M, N, K, 1.0f, A.data(), B.data(), 0.0f, C.data());
      return C;
    });
    BOOST_TEST(bit_equal(c1, c2), "M=" << M << " N=" << N << " K=" << K);
  }
  // Weight-gradient shapes, whose inner dimension is cut into chunks (Note [Splitting the inner dimension]).
  for (const auto& shape : std::vector<std::array<std::int64_t, 3>>{{100, 100, 20480}, {64, 192, 6272}, {100, 300, 9999}}) {
    const std::int64_t M = shape[0], N = shape[1], K = shape[2];  // lambdas capture these
    auto A = random_vector(M * K, 8), B = random_vector(K * N, 9);
    auto [c1, c2] = with_1_and_2_threads([&] {
      std::vector<float> C(static_cast<size_t>(M * N), 0.5f);
      gemm(true, false, M, N, K, 1.0f, A.data(), B.data(), 1.0f, C.data());
      return C;
    });
    BOOST_TEST(bit_equal(c1, c2), "M=" << M << " N=" << N << " K=" << K);
  }
  auto A = random_vector(64 * 200 * 50, 3);
  auto [b1, b2] = with_1_and_2_threads([&] {
    std::vector<float> C(static_cast<size_t>(64 * 200 * 200));
    gemm_batched(false, true, 64, 200, 200, 50, 1.0f, A.data(), 50, 200 * 50, A.data(), 50, 200 * 50, 0.0f, C.data(),
                 200, 200 * 200);
    return C;
  });
  BOOST_TEST(bit_equal(b1, b2));
}

BOOST_AUTO_TEST_CASE(elementwise_and_reductions_are_bit_identical) {
  const std::int64_t N = 20011, C = 37, n = N * C;
  auto x = random_vector(n, 4), dy = random_vector(n, 5), w = random_vector(C, 6), b = random_vector(C, 7);
  auto [r1, r2] = with_1_and_2_threads([&] {
    std::vector<float> out;
    std::vector<float> y(static_cast<size_t>(n)), dx(static_cast<size_t>(n), 0.0f), db(static_cast<size_t>(C), 0.0f), s(static_cast<size_t>(C));
    kernels::unary_forward(kernels::Unary::Tanh, y.data(), x.data(), n);
    kernels::unary_backward(kernels::Unary::Tanh, dx.data(), dy.data(), x.data(), y.data(), n);
    out.insert(out.end(), y.begin(), y.end());
    out.insert(out.end(), dx.begin(), dx.end());
    const kernels::Broadcast row{kernels::Broadcast::Row, N, C};
    kernels::binary_backward(kernels::Binary::Mul, nullptr, db.data(), dy.data(), x.data(), w.data(), row);
    out.insert(out.end(), db.begin(), db.end());
    kernels::sum_axis(s.data(), x.data(), 1, N, C, false);
    out.insert(out.end(), s.begin(), s.end());
    kernels::softmax_forward(y.data(), x.data(), N, C);
    out.insert(out.end(), y.begin(), y.end());
    std::vector<float> m(static_cast<size_t>(N)), rs(static_cast<size_t>(N)), dw(static_cast<size_t>(C), 0.0f), dbb(static_cast<size_t>(C), 0.0f);
    kernels::layer_norm_forward(y.data(), m.data(), rs.data(), x.data(), w.data(), b.data(), N, C, 1e-8f);
    kernels::layer_norm_backward(dx.data(), dw.data(), dbb.data(), dy.data(), x.data(), w.data(), m.data(), rs.data(),
                                 N, C);
    out.insert(out.end(), y.begin(), y.end());
    out.insert(out.end(), dx.begin(), dx.end());
    out.insert(out.end(), dw.begin(), dw.end());
    out.insert(out.end(), dbb.begin(), dbb.end());
    out.push_back(float(parallel_sum(x.data(), n)));
    std::vector<std::int32_t> ids(static_cast<size_t>(N));
    for (std::int64_t i = 0; i < N; ++i) ids[size_t(i)] = std::int32_t((i * 7919) % 500);
    std::vector<float> table(static_cast<size_t>(500 * C), 0.0f);
    kernels::scatter_add_rows(table.data(), dy.data(), ids.data(), N, C, 500, -1, nullptr);
    out.insert(out.end(), table.begin(), table.end());
    std::vector<std::int64_t> ranks(static_cast<size_t>(N));
    std::vector<std::int32_t> targets(ids.size());
    for (size_t i = 0; i < ids.size(); ++i) targets[i] = ids[i] % std::int32_t(C);
    kernels::rank_of_targets(ranks.data(), x.data(), targets.data(), N, C);
    for (auto r : ranks) out.push_back(float(r));
    return out;
  });
  BOOST_TEST(bit_equal(r1, r2));
}

BOOST_AUTO_TEST_SUITE_END()
