#include "tensor/parallel.h"

#include <omp.h>

#include "tensor/simd.h"

namespace l2 {

void set_num_threads(int n) {
  if (n <= 0) n = omp_get_num_procs();
  omp_set_num_threads(n);
}

int num_threads() { return omp_get_max_threads(); }

namespace {
// One block: a SIMD accumulator over the vector part, lanes summed, then the scalar tail.
float block_sum(const float* x, std::int64_t n) {
  Batch acc(0.0f);
  const std::int64_t nv = vec_end(n);
  for (std::int64_t i = 0; i < nv; i += kWidth) acc += load(x + i);
  float s = hsum(acc);
  for (std::int64_t i = nv; i < n; ++i) s += x[i];
  return s;
}
}  // namespace

double parallel_sum(const float* x, std::int64_t n) {
  const std::int64_t nblocks = (n + kSumBlock - 1) / kSumBlock;
  std::vector<float> partial(static_cast<size_t>(nblocks));
  parallel_for(nblocks, 16, [&](std::int64_t b0, std::int64_t b1) {
    for (std::int64_t b = b0; b < b1; ++b) {
      const std::int64_t begin = b * kSumBlock;
      const std::int64_t len = begin + kSumBlock < n ? kSumBlock : n - begin;
      partial[b] = block_sum(x + begin, len);
    }
  });
  double s = 0.0;
  for (float p : partial) s += p;
  return s;
}

double parallel_sum_ref(const float* x, std::int64_t n) {
  double s = 0.0;
  for (std::int64_t begin = 0; begin < n; begin += kSumBlock) {
    const std::int64_t end = begin + kSumBlock < n ? begin + kSumBlock : n;
    float b = 0.0f;
    for (std::int64_t i = begin; i < end; ++i) b += x[i];
    s += b;
  }
  return s;
}

}  // namespace l2
