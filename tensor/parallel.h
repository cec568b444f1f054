// Threads. One setting, set_num_threads(n), governs every parallel loop of the project.
//
// Note [Determinism]
// The same inputs must give bit-identical outputs whatever the thread count. Two rules make
// that true by construction:
//  1. Work is split into blocks whose boundaries depend only on the problem size, never on the
//     number of threads; threads merely decide who computes which block. So every element is
//     computed by the same code path (vector body or scalar tail) with the same operands.
//  2. A floating-point sum over many elements is formed per fixed block and the block partials
//     are added in block order (parallel_sum). An OpenMP `reduction(+)` on floats adds in an
//     order that depends on the thread count, so it is never used.
// GEMM follows the same rule (tensor/gemm.h): OpenBLAS is called single-threaded on a fixed
// partition of the output, never with its own threading.
#pragma once

#include <cstdint>
#include <vector>

namespace l2 {

void set_num_threads(int n);  // n <= 0 means "all cores"
int num_threads();

// Runs fn(begin, end) for the blocks [k*block, min(n, (k+1)*block)) of [0, n), in parallel
// when there is more than one block. Must not be called with a fn that itself runs a parallel_for
// (nested regions run serially, which is correct but slow).
template <class F>
void parallel_for(std::int64_t n, std::int64_t block, F&& fn) {
  if (n <= 0) return;
  if (block < 1) block = 1;
  const std::int64_t nblocks = (n + block - 1) / block;
  if (nblocks == 1) {
    fn(std::int64_t(0), n);
    return;
  }
#pragma omp parallel for schedule(static) if (nblocks > 1)
  for (std::int64_t k = 0; k < nblocks; ++k) {
    const std::int64_t begin = k * block;
    const std::int64_t end = begin + block < n ? begin + block : n;
    fn(begin, end);
  }
}

// Block size for element-wise kernels: large enough that a block costs far more than the
// scheduling, a multiple of every SIMD width.
inline constexpr std::int64_t kElementBlock = 1 << 15;

// Rows per block for row-wise kernels with `cols` columns: about kElementBlock elements.
inline std::int64_t row_block(std::int64_t cols) {
  const std::int64_t r = kElementBlock / (cols > 0 ? cols : 1);
  return r > 0 ? r : 1;
}

// Sum of x[0..n) in fixed blocks of kSumBlock, partials added in block order (Note [Determinism]).
inline constexpr std::int64_t kSumBlock = 4096;
double parallel_sum(const float* x, std::int64_t n);
double parallel_sum_ref(const float* x, std::int64_t n);  // the same blocking, one thread, scalar

}  // namespace l2
