// GEMM and affine maps on a fixed split of the output (Note [Determinism] in parallel.h), each
// piece one single-threaded OpenBLAS call (tensor/blas_library.h).
#include "tensor/gemm.h"

#include <algorithm>
#include <vector>

#include "tensor/blas_library.h"
#include "tensor/check.h"
#include "tensor/kernels/tile_product.h"
#include "tensor/parallel.h"

namespace l2 {

namespace {

// Floats of a packed right-hand matrix that stay in L2 beside the tiles (Note [Affine maps]).
constexpr std::int64_t kAffinePackedMax = 1 << 16;
// Below this many multiply-adds one call is cheaper than splitting.
constexpr std::int64_t kSplitFlops = 1 << 18;
// Upper bound on the number of pieces one product is cut into (enough for 16 threads).
constexpr std::int64_t kMaxPieces = 16;

std::int64_t round_up(std::int64_t x, std::int64_t m) { return (x + m - 1) / m * m; }

void check_dims(const char* op, std::int64_t M, std::int64_t N, std::int64_t K) {
  L2_CHECK(M >= 0 && N >= 0 && K >= 0, op << ": negative dimension M=" << M << " N=" << N << " K=" << K);
  L2_CHECK(M < (1ll << 31) && N < (1ll << 31) && K < (1ll << 31),
           op << ": dimension too large for 32-bit BLAS: M=" << M << " N=" << N << " K=" << K);
}


// Note [Splitting the inner dimension]
// A product with a small output and a long inner dimension (a weight gradient X^T dY: 100 x 100
// outputs summed over B*T = 102,400 rows) cuts into only a few row pieces of at least 32 rows, of
// unequal sizes (32, 32, 32, 4 for 100 rows), and two threads then split the work 64:36. Such a
// product is cut along K instead: a power-of-two number of equal chunks of at least kMinChunk, each
// product into its own buffer, and C = beta C + the chunk products added in chunk order. The
// chunks depend on the shape only, so the bits do not depend on the thread count
// (Note [Determinism]); a power of two keeps 1, 2, 4, 8 and 16 threads balanced.
constexpr std::int64_t kMinChunk = 1024;

// Number of inner-dimension chunks for this shape: 1 when a split of M or N already gives every
// thread an equal share, or K is too short to be worth cutting.
std::int64_t inner_chunks(std::int64_t M, std::int64_t N, std::int64_t K) {
  if (std::max(M, N) >= 512 || K < 2 * kMinChunk) return 1;
  std::int64_t c = 1;
  while (c * 2 <= kMaxPieces && K / (c * 2) >= kMinChunk) c *= 2;
  return c;
}

void gemm_split_inner(bool ta, bool tb, std::int64_t M, std::int64_t N, std::int64_t K, std::int64_t chunks,
                      float alpha, const float* A, std::int64_t lda, const float* B, std::int64_t ldb, float beta,
                      float* C, std::int64_t ldc) {
  const std::int64_t len = round_up((K + chunks - 1) / chunks, 16);
  std::vector<float> part(static_cast<size_t>(chunks * M * N));
  parallel_for(chunks, 1, [&](std::int64_t c0, std::int64_t c1) {
    for (std::int64_t c = c0; c < c1; ++c) {
      const std::int64_t k0 = std::min(K, c * len), k1 = std::min(K, k0 + len);
      const float* Ak = ta ? A + k0 * lda : A + k0;  // op(A) columns k0..k1
      const float* Bk = tb ? B + k0 : B + k0 * ldb;  // op(B) rows k0..k1
      openblas_sgemm(ta, tb, M, N, k1 - k0, alpha, Ak, lda, Bk, ldb, 0.0f, part.data() + c * M * N, N);
    }
  });
  parallel_for(M, std::max<std::int64_t>(1, kElementBlock / std::max<std::int64_t>(1, N * chunks)),
               [&](std::int64_t i0, std::int64_t i1) {
                 for (std::int64_t i = i0; i < i1; ++i)
                   for (std::int64_t j = 0; j < N; ++j) {
                     float s = beta == 0.0f ? 0.0f : beta * C[i * ldc + j];
                     for (std::int64_t c = 0; c < chunks; ++c) s += part[size_t((c * M + i) * N + j)];
                     C[i * ldc + j] = s;
                   }
               });
}

}  // namespace

void gemm(bool ta, bool tb, std::int64_t M, std::int64_t N, std::int64_t K, float alpha, const float* A,
          std::int64_t lda, const float* B, std::int64_t ldb, float beta, float* C, std::int64_t ldc) {
  check_dims("gemm", M, N, K);
  blas_info();  // load outside any parallel region
  if (M * N * K < kSplitFlops) {
    openblas_sgemm(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
    return;
  }
  if (const std::int64_t chunks = inner_chunks(M, N, K); chunks > 1) {
    gemm_split_inner(ta, tb, M, N, K, chunks, alpha, A, lda, B, ldb, beta, C, ldc);
    return;
  }
  // Split the larger of M and N into pieces whose size depends only on the shape.
  if (M >= N) {
    const std::int64_t rows = round_up(std::max<std::int64_t>(32, (M + kMaxPieces - 1) / kMaxPieces), 16);
    parallel_for(M, rows, [&](std::int64_t i0, std::int64_t i1) {
      const float* Ai = ta ? A + i0 : A + i0 * lda;
      openblas_sgemm(ta, tb, i1 - i0, N, K, alpha, Ai, lda, B, ldb, beta, C + i0 * ldc, ldc);
    });
  } else {
    const std::int64_t cols = round_up(std::max<std::int64_t>(64, (N + kMaxPieces - 1) / kMaxPieces), 16);
    parallel_for(N, cols, [&](std::int64_t j0, std::int64_t j1) {
      const float* Bj = tb ? B + j0 * ldb : B + j0;
      openblas_sgemm(ta, tb, M, j1 - j0, K, alpha, A, lda, Bj, ldb, beta, C + j0, ldc);
    });
  }
}

void gemm(bool ta, bool tb, std::int64_t M, std::int64_t N, std::int64_t K, float alpha, const float* A,
          const float* B, float beta, float* C) {
  gemm(ta, tb, M, N, K, alpha, A, ta ? M : K, B, tb ? K : N, beta, C, N);
}

// Note [Affine maps]
// y = b + x W for many rows and a layer-sized W (K x N up to a few hundred) runs through the
// register-tiled product of tensor/kernels/tile_product.h rather than OpenBLAS: W is packed once
// per call and stays in cache, and the bias is each tile's starting value, where the GEMM route
// first copies b into every row of y and then adds the product (beta = 1); at the model shapes
// that is faster than OpenBLAS, and more so on two threads (bench/RESULTS.md, "Design measurements
// behind kernel choices"). Every row is one tile's sum in a fixed order, so the bits do not depend
// on the thread count.
void affine(float* y, const float* x, const float* w, const float* b, std::int64_t M, std::int64_t N, std::int64_t K) {
  if (K > 0 && K * kernels::padded_width(N) <= kAffinePackedMax) {
    const kernels::PackedRows wp(w, K, N, N, false);
    const auto bias = b ? kernels::padded_vector(b, N)
                        : std::vector<float, xsimd::aligned_allocator<float, 64>>(size_t(kernels::padded_width(N)), 0.0f);
    const std::int64_t tiles = (M + kernels::kTileRows - 1) / kernels::kTileRows;
    parallel_for(tiles, 16, [&](std::int64_t t0, std::int64_t t1) {
      const std::int64_t r0 = t0 * kernels::kTileRows, r1 = std::min(M, t1 * kernels::kTileRows);
      kernels::rows_times_packed(y + r0 * N, N, x + r0 * K, K, r1 - r0, wp, bias.data());
    });
    return;
  }
  if (b)
    parallel_for(M, row_block(N), [&](std::int64_t r0, std::int64_t r1) {
      for (std::int64_t r = r0; r < r1; ++r) std::copy_n(b, N, y + r * N);
    });
  gemm(false, false, M, N, K, 1.0f, x, w, b ? 1.0f : 0.0f, y);
}

void gemm_batched(bool ta, bool tb, std::int64_t batch, std::int64_t M, std::int64_t N, std::int64_t K,
                  float alpha, const float* A, std::int64_t lda, std::int64_t stride_a, const float* B,
                  std::int64_t ldb, std::int64_t stride_b, float beta, float* C, std::int64_t ldc,
                  std::int64_t stride_c) {
  check_dims("gemm_batched", M, N, K);
  L2_CHECK(batch >= 0, "gemm_batched: negative batch " << batch);
  blas_info();  // load outside any parallel region
  if (batch == 1) {
    gemm(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
    return;
  }
  // Products per block: enough work per block to amortise scheduling, fixed by the shape.
  const std::int64_t per = std::max<std::int64_t>(1, kSplitFlops / std::max<std::int64_t>(1, M * N * K));
  parallel_for(batch, per, [&](std::int64_t b0, std::int64_t b1) {
    for (std::int64_t b = b0; b < b1; ++b)
      openblas_sgemm(ta, tb, M, N, K, alpha, A + b * stride_a, lda, B + b * stride_b, ldb, beta, C + b * stride_c, ldc);
  });
}

void gemm_single_thread(bool ta, bool tb, std::int64_t M, std::int64_t N, std::int64_t K, float alpha,
                        const float* A, std::int64_t lda, const float* B, std::int64_t ldb, float beta, float* C,
                        std::int64_t ldc) {
  check_dims("gemm_single_thread", M, N, K);
  openblas_sgemm(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

void gemm_ref(bool ta, bool tb, std::int64_t M, std::int64_t N, std::int64_t K, float alpha, const float* A,
              std::int64_t lda, const float* B, std::int64_t ldb, float beta, float* C, std::int64_t ldc) {
  for (std::int64_t i = 0; i < M; ++i)
    for (std::int64_t j = 0; j < N; ++j) {
      double s = 0.0;
      for (std::int64_t k = 0; k < K; ++k) {
        const float a = ta ? A[k * lda + i] : A[i * lda + k];
        const float b = tb ? B[j * ldb + k] : B[k * ldb + j];
        s += double(a) * double(b);
      }
      float& c = C[i * ldc + j];
      c = float(alpha * s + (beta == 0.0f ? 0.0 : double(beta) * c));
    }
}

MatmulDims matmul_dims(const Shape& a, const Shape& b, bool ta, bool tb) {
  L2_CHECK(a.ndim() >= 2 && b.ndim() >= 2, "matmul: operands need at least 2 axes, got " << a << " and " << b);
  MatmulDims d;
  d.M = ta ? a[-1] : a[-2];
  d.K = ta ? a[-2] : a[-1];
  const std::int64_t Kb = tb ? b[-1] : b[-2];
  d.N = tb ? b[-2] : b[-1];
  L2_CHECK(d.K == Kb, "matmul: inner dimensions differ: " << a << (ta ? "^T" : "") << " x " << b << (tb ? "^T" : ""));
  if (b.ndim() == 2 && a.ndim() > 2) {
    L2_CHECK(!ta, "matmul: trans_a with a " << a.ndim() << "-axis a and a matrix b is not supported: " << a);
    d.shared_b = true;
    d.M = a.numel() / d.K;
    d.out = a.with(-1, d.N);
    return d;
  }
  L2_CHECK(a.ndim() == b.ndim(), "matmul: batched operands need the same number of axes: " << a << " x " << b);
  for (int i = 0; i < a.ndim() - 2; ++i) {
    L2_CHECK(a[i] == b[i], "matmul: batch axes differ: " << a << " x " << b);
    d.batch *= a[i];
  }
  d.out = a.with(-2, d.M).with(-1, d.N);
  return d;
}

void matmul_gemm(const MatmulDims& d, bool ta, bool tb, const float* a, const float* b, float beta, float* out) {
  if (d.shared_b)
    gemm(false, tb, d.M, d.N, d.K, 1.0f, a, b, beta, out);
  else
    gemm_batched(ta, tb, d.batch, d.M, d.N, d.K, 1.0f, a, ta ? d.M : d.K, d.M * d.K, b, tb ? d.K : d.N, d.K * d.N, beta,
                 out, d.N, d.M * d.N);
}

}  // namespace l2
