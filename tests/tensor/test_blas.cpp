#include <boost/test/unit_test.hpp>
#include <cmath>
#include <vector>

#include "../common/test_util.h"
#include "tensor/blas_library.h"
#include "tensor/gemm.h"
#include "tensor/functional.h"
#include "tensor/kernels/tile_product.h"

using namespace l2;
using namespace l2::test;

BOOST_AUTO_TEST_SUITE(blas_gemm)

BOOST_AUTO_TEST_CASE(openblas_is_loaded_with_a_known_core) {
  const BlasInfo& info = blas_info();
  BOOST_TEST(!info.library.empty());
  BOOST_TEST(!info.corename.empty());
  BOOST_TEST_MESSAGE("BLAS: " << info.library << " core " << info.corename << " (" << info.coretype_source << "), "
                              << info.threading);
  // Prescott is OpenBLAS's oldest fallback; on any AVX2 machine it means the core type was not chosen.
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2")) BOOST_TEST(info.corename != "Prescott");
}

// gemm against the naive triple loop, every transpose combination, awkward sizes, beta != 0.
BOOST_AUTO_TEST_CASE(gemm_matches_naive_for_all_transposes) {
  // The last two cut the inner dimension into chunks (Note [Splitting the inner dimension]).
  const std::vector<std::array<std::int64_t, 3>> shapes = {
      {1, 1, 1}, {7, 17, 63}, {63, 7, 17}, {100, 130, 70}, {257, 65, 33}, {1000, 17, 64}, {17, 1000, 64},
      {37, 45, 9001}, {64, 3, 4099}};
  std::uint64_t seed = 1;
  for (auto [M, N, K] : shapes)
    for (int ta = 0; ta < 2; ++ta)
      for (int tb = 0; tb < 2; ++tb) {
        auto A = random_vector(M * K, seed++), B = random_vector(K * N, seed++), C0 = random_vector(M * N, seed++);
        for (float beta : {0.0f, 0.5f}) {
          auto C = C0, R = C0;
          gemm(ta, tb, M, N, K, 0.75f, A.data(), B.data(), beta, C.data());
          gemm_ref(ta, tb, M, N, K, 0.75f, A.data(), ta ? M : K, B.data(), tb ? K : N, beta, R.data(), N);
          BOOST_TEST(max_rel_err(C, R) < 1e-5 * std::max<std::int64_t>(1, K / 16),
                     "M=" << M << " N=" << N << " K=" << K << " ta=" << ta << " tb=" << tb << " beta=" << beta);
        }
      }
}

BOOST_AUTO_TEST_CASE(gemm_with_leading_dimensions) {
  // Multiply the [5, 3] block at column 2 of a [5, 8] matrix by a [3, 4] block of a [3, 6] matrix.
  const std::int64_t M = 5, N = 4, K = 3, lda = 8, ldb = 6, ldc = 9;
  auto A = random_vector(M * lda, 1), B = random_vector(K * ldb, 2);
  std::vector<float> C(static_cast<size_t>(M * ldc), 7.0f), R = C;
  gemm(false, false, M, N, K, 1.0f, A.data() + 2, lda, B.data() + 1, ldb, 0.0f, C.data(), ldc);
  gemm_ref(false, false, M, N, K, 1.0f, A.data() + 2, lda, B.data() + 1, ldb, 0.0f, R.data(), ldc);
  BOOST_TEST(max_rel_err(C, R) < 1e-6);
  BOOST_TEST(C[4] == 7.0f);  // outside the [M, N] block: untouched
}

BOOST_AUTO_TEST_CASE(batched_gemm_matches_per_item_products) {
  const std::int64_t batch = 13, M = 9, N = 11, K = 7;
  for (int ta = 0; ta < 2; ++ta)
    for (int tb = 0; tb < 2; ++tb) {
      auto A = random_vector(batch * M * K, 3), B = random_vector(batch * K * N, 4);
      std::vector<float> C(static_cast<size_t>(batch * M * N)), R(C.size());
      gemm_batched(ta, tb, batch, M, N, K, 1.0f, A.data(), ta ? M : K, M * K, B.data(), tb ? K : N, K * N, 0.0f,
                   C.data(), N, M * N);
      for (std::int64_t b = 0; b < batch; ++b)
        gemm_ref(ta, tb, M, N, K, 1.0f, A.data() + b * M * K, ta ? M : K, B.data() + b * K * N, tb ? K : N, 0.0f,
                 R.data() + b * M * N, N);
      BOOST_TEST(max_rel_err(C, R) < 1e-5);
    }
}

BOOST_AUTO_TEST_CASE(matmul_shapes) {
  Tensor a = random_tensor(Shape{2, 3, 4}, 1), w = random_tensor(Shape{4, 5}, 2);
  BOOST_TEST(fn::matmul(a, w).shape() == (Shape{2, 3, 5}));
  BOOST_TEST(fn::matmul(a, random_tensor(Shape{5, 4}, 3), false, true).shape() == (Shape{2, 3, 5}));
  Tensor b = random_tensor(Shape{2, 4, 6}, 4);
  BOOST_TEST(fn::matmul(a, b).shape() == (Shape{2, 3, 6}));
  BOOST_TEST(fn::matmul(a, a, false, true).shape() == (Shape{2, 3, 3}));
  BOOST_TEST(fn::matmul(a, a, true, false).shape() == (Shape{2, 4, 4}));
  BOOST_CHECK_THROW(fn::matmul(a, random_tensor(Shape{3, 4, 6}, 5)), Error);
  BOOST_CHECK_THROW(fn::matmul(a, random_tensor(Shape{5, 4}, 5)), Error);
}

BOOST_AUTO_TEST_CASE(gemm_empty_inner_dimension_gives_beta_c) {
  std::vector<float> C = {1, 2, 3, 4};
  gemm(false, false, 2, 2, 0, 1.0f, nullptr, nullptr, 0.5f, C.data());
  BOOST_TEST(C[3] == 2.0f);
}

// The register-tiled product (tensor/kernels/tile_product.h) against its naive loop: row tails of
// every tile height, column counts below, at and past the vector width, the transposed packing,
// with a bias and accumulating.
BOOST_AUTO_TEST_CASE(tiled_rows_times_packed_matches_naive) {
  std::uint64_t seed = 20;
  for (std::int64_t M : {1, 5, 6, 7, 13, 40})
    for (std::int64_t N : {1, 7, 8, 17, 33, 100})
      for (std::int64_t K : {1, 9, 64})
        for (bool transpose : {false, true}) {
          const std::int64_t lda = K + 3;  // rows with a gap after them
          auto A = random_vector(M * lda, seed++), Bm = random_vector(K * N, seed++), bias = random_vector(N, seed++);
          const kernels::PackedRows w(Bm.data(), K, N, transpose ? K : N, transpose);
          const auto bp = kernels::padded_vector(bias.data(), N);
          for (bool with_bias : {false, true}) {
            auto C = random_vector(M * (N + 2), seed++), R = C;  // row stride N + 2
            kernels::rows_times_packed(C.data(), N + 2, A.data(), lda, M, w, with_bias ? bp.data() : nullptr);
            kernels::rows_times_packed_ref(R.data(), N + 2, A.data(), lda, M, w, with_bias ? bp.data() : nullptr);
            BOOST_TEST(max_rel_err(C, R) < 1e-5, "M=" << M << " N=" << N << " K=" << K << " t=" << transpose << " bias=" << with_bias);
          }
        }
}

// affine (Note [Affine maps]): the tiled route (a layer-sized weight) and the GEMM route (a weight
// too large to pack) against the naive loop, with and without a bias, and the same bits for 1 and
// 2 threads.
BOOST_AUTO_TEST_CASE(affine_matches_naive_on_both_routes) {
  std::uint64_t seed = 90;
  const std::vector<std::array<std::int64_t, 3>> shapes = {{1, 1, 1}, {13, 7, 9}, {301, 100, 100}, {50, 192, 64},
                                                           {40, 700, 120}};  // the last exceeds the packed size
  for (const auto& shape : shapes)
    for (bool with_bias : {false, true}) {
      const std::int64_t M = shape[0], N = shape[1], K = shape[2];  // not a structured binding: lambdas capture these
      const auto x = random_vector(M * K, seed++), w = random_vector(K * N, seed++), b = random_vector(N, seed++);
      std::vector<float> ref(static_cast<size_t>(M * N));
      for (std::int64_t m = 0; m < M; ++m)
        for (std::int64_t n = 0; n < N; ++n) ref[size_t(m * N + n)] = with_bias ? b[size_t(n)] : 0.0f;
      gemm_ref(false, false, M, N, K, 1.0f, x.data(), K, w.data(), N, 1.0f, ref.data(), N);
      auto [y1, y2] = with_1_and_2_threads([&] {
        std::vector<float> y(static_cast<size_t>(M * N), NAN);
        affine(y.data(), x.data(), w.data(), with_bias ? b.data() : nullptr, M, N, K);
        return y;
      });
      BOOST_TEST(max_rel_err(y1, ref) < 1e-5, "M=" << M << " N=" << N << " K=" << K << " bias=" << with_bias);
      BOOST_TEST(bit_equal(y1, y2));
    }
}

// outer_product_sum (the weight-gradient tiles of the convolution): part = (0 or part) + e^T g over
// n rows, every tile height, one- and two-vector column tiles.
BOOST_AUTO_TEST_CASE(outer_product_sum_matches_naive) {
  std::uint64_t seed = 120;
  for (std::int64_t C : {1, 5, 6, 13, 64})
    for (std::int64_t N : {3, 8, 20, 64})
      for (bool zero : {false, true}) {
        const std::int64_t n = 37, NP = kernels::padded_width(N), lde = C + 2;
        const auto e = random_vector(n * lde, seed++), gr = random_vector(n * N, seed++);
        std::vector<float, xsimd::aligned_allocator<float, 64>> g(static_cast<size_t>(n * NP), 0.0f),
            part(static_cast<size_t>(C * NP), 0.0f);
        for (std::int64_t u = 0; u < n; ++u) std::copy_n(gr.data() + u * N, N, g.data() + u * NP);
        const auto init = random_vector(C * NP, seed++);
        std::copy(init.begin(), init.end(), part.begin());
        kernels::outer_product_sum(part.data(), NP, zero, e.data(), lde, C, g.data(), n);
        double worst = 0.0;
        for (std::int64_t c = 0; c < C; ++c)
          for (std::int64_t o = 0; o < N; ++o) {
            double s = zero ? 0.0 : init[size_t(c * NP + o)];
            for (std::int64_t u = 0; u < n; ++u) s += double(e[size_t(u * lde + c)]) * gr[size_t(u * N + o)];
            worst = std::max(worst, std::fabs(s - part[size_t(c * NP + o)]) / std::max(1.0, std::fabs(s)));
          }
        BOOST_TEST(worst < 1e-5, "C=" << C << " N=" << N << " zero=" << zero);
      }
}

BOOST_AUTO_TEST_SUITE_END()
