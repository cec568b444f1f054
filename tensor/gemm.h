// Matrix multiplication through OpenBLAS (tensor/blas_library.h), always called single-threaded
// on a fixed partition of the output so that results are bit-identical for any thread count
// (Note [Determinism] in parallel.h).
#pragma once

#include <cstdint>

#include "tensor/shape.h"

namespace l2 {

// C = alpha * op(A) * op(B) + beta * C, row-major, with leading dimensions.
// op(A) is [M, K]: A is stored [M, K] (lda >= K), or [K, M] when trans_a (lda >= M).
// op(B) is [K, N]: B is stored [K, N] (ldb >= N), or [N, K] when trans_b (ldb >= K).
// C is [M, N] (ldc >= N). Parallel over a fixed split of C; must not be called from a parallel region.
void gemm(bool trans_a, bool trans_b, std::int64_t M, std::int64_t N, std::int64_t K, float alpha,
          const float* A, std::int64_t lda, const float* B, std::int64_t ldb, float beta, float* C,
          std::int64_t ldc);

// Contiguous operands: lda/ldb/ldc follow from the shapes.
void gemm(bool trans_a, bool trans_b, std::int64_t M, std::int64_t N, std::int64_t K, float alpha,
          const float* A, const float* B, float beta, float* C);

// y = x w + b for contiguous x: [M, K], w: [K, N], b: [N] added to every row (nullptr: no bias).
void affine(float* y, const float* x, const float* w, const float* b, std::int64_t M, std::int64_t N, std::int64_t K);

// `batch` independent products C_i = alpha op(A_i) op(B_i) + beta C_i, the i-th operands at
// A + i*stride_a and so on. Parallel over the batch (each product single-threaded), or over a fixed
// split of one product when the batch is 1.
void gemm_batched(bool trans_a, bool trans_b, std::int64_t batch, std::int64_t M, std::int64_t N,
                  std::int64_t K, float alpha, const float* A, std::int64_t lda, std::int64_t stride_a,
                  const float* B, std::int64_t ldb, std::int64_t stride_b, float beta, float* C,
                  std::int64_t ldc, std::int64_t stride_c);

// One single-threaded product with no splitting, for kernels that call GEMM from inside their own
// parallel region (one product per task, e.g. per attention head).
void gemm_single_thread(bool trans_a, bool trans_b, std::int64_t M, std::int64_t N, std::int64_t K, float alpha,
                        const float* A, std::int64_t lda, const float* B, std::int64_t ldb, float beta, float* C,
                        std::int64_t ldc);

// The naive triple loop (double accumulator) that tests and benchmarks check gemm against.
void gemm_ref(bool trans_a, bool trans_b, std::int64_t M, std::int64_t N, std::int64_t K, float alpha,
              const float* A, std::int64_t lda, const float* B, std::int64_t ldb, float beta, float* C,
              std::int64_t ldc);

// The shapes of matmul (tensor/functional.h and autograd/ops.h), op(a) being a with its last two
// axes swapped when trans_a, likewise b:
//   a [..., M, K] with b [K, N]       -> [..., M, N]: b shared by every row of a (a's leading axes
//                                        flattened into M rows; not with trans_a)
//   a [..., M, K] with b [..., K, N]  -> [..., M, N]: a batch of products over the same leading axes
struct MatmulDims {
  bool shared_b = false;
  std::int64_t batch = 1, M = 0, N = 0, K = 0;  // shared_b: batch 1, M all rows of a
  Shape out;
};
// Throws an l2::Error naming both shapes unless they multiply.
MatmulDims matmul_dims(const Shape& a, const Shape& b, bool trans_a, bool trans_b);
// The GEMM calls of a matmul: out = op(a) op(b) + beta out for contiguous operands of the shapes
// `d` was made from.
void matmul_gemm(const MatmulDims& d, bool trans_a, bool trans_b, const float* a, const float* b, float beta, float* out);

}  // namespace l2
