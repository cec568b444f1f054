#include "tensor/kernels/reduce.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "tensor/parallel.h"
#include "tensor/simd.h"

namespace l2::kernels {

namespace {

// Sum of n contiguous values: SIMD lanes, then lanes added, then the tail.
float contiguous_sum(const float* x, std::int64_t n) {
  Batch acc(0.0f);
  std::int64_t i = 0;
  for (; i + kWidth <= n; i += kWidth) acc += load(x + i);
  float s = hsum(acc);
  for (; i < n; ++i) s += x[i];
  return s;
}

// y[0..n) += x[0..n)
void add_into(float* y, const float* x, std::int64_t n) {
  std::int64_t i = 0;
  for (; i + kWidth <= n; i += kWidth) store(y + i, load(y + i) + load(x + i));
  for (; i < n; ++i) y[i] += x[i];
}

}  // namespace

void sum_axis_ref(float* out, const float* x, std::int64_t outer, std::int64_t A, std::int64_t inner, bool accumulate) {
  for (std::int64_t o = 0; o < outer; ++o)
    for (std::int64_t i = 0; i < inner; ++i) {
      double s = 0.0;
      for (std::int64_t a = 0; a < A; ++a) s += x[(o * A + a) * inner + i];
      out[o * inner + i] = float(accumulate ? out[o * inner + i] + s : s);
    }
}

void sum_axis(float* out, const float* x, std::int64_t outer, std::int64_t A, std::int64_t inner, bool accumulate) {
  if (inner == 1) {  // sum along the last axis: one contiguous row per output
    parallel_for(outer, row_block(A), [&](std::int64_t o0, std::int64_t o1) {
      for (std::int64_t o = o0; o < o1; ++o) {
        const float s = contiguous_sum(x + o * A, A);
        out[o] = accumulate ? out[o] + s : s;
      }
    });
    return;
  }
  if (outer >= 4 || A * inner <= kElementBlock) {  // enough outputs to share out: one outer slice per task
    parallel_for(outer, std::max<std::int64_t>(1, row_block(A * inner)), [&](std::int64_t o0, std::int64_t o1) {
      for (std::int64_t o = o0; o < o1; ++o) {
        float* dst = out + o * inner;
        if (!accumulate) std::memset(dst, 0, sizeof(float) * inner);
        for (std::int64_t a = 0; a < A; ++a) add_into(dst, x + (o * A + a) * inner, inner);
      }
    });
    return;
  }
  // Few outputs, many rows to add (column sums of a tall matrix): partial sums over fixed blocks of
  // rows, then the partials added in block order.
  const std::int64_t rb = row_block(inner);
  const std::int64_t nblocks = (A + rb - 1) / rb;
  std::vector<float> partial(static_cast<size_t>(nblocks * inner));
  for (std::int64_t o = 0; o < outer; ++o) {
    const float* xo = x + o * A * inner;
    parallel_for(A, rb, [&](std::int64_t a0, std::int64_t a1) {
      float* p = partial.data() + (a0 / rb) * inner;
      std::memset(p, 0, sizeof(float) * inner);
      for (std::int64_t a = a0; a < a1; ++a) add_into(p, xo + a * inner, inner);
    });
    float* dst = out + o * inner;
    if (!accumulate) std::memset(dst, 0, sizeof(float) * inner);
    for (std::int64_t k = 0; k < nblocks; ++k) add_into(dst, partial.data() + k * inner, inner);
  }
}

void expand_axis_add(float* dx, const float* dout, std::int64_t outer, std::int64_t A, std::int64_t inner, float scale) {
  parallel_for(outer * A, row_block(inner), [&](std::int64_t r0, std::int64_t r1) {
    const Batch vs(scale);
    for (std::int64_t r = r0; r < r1; ++r) {
      const std::int64_t o = r / A;
      float* d = dx + r * inner;
      const float* g = dout + o * inner;
      std::int64_t i = 0;
      for (; i + kWidth <= inner; i += kWidth) store(d + i, xsimd::fma(load(g + i), vs, load(d + i)));
      for (; i < inner; ++i) d[i] = std::fma(g[i], scale, d[i]);
    }
  });
}

void max_last(float* out, const float* x, std::int64_t N, std::int64_t C) {
  parallel_for(N, row_block(C), [&](std::int64_t n0, std::int64_t n1) {
    for (std::int64_t n = n0; n < n1; ++n) {
      const float* r = x + n * C;
      float m = r[0];
      for (std::int64_t c = 1; c < C; ++c) m = r[c] > m ? r[c] : m;
      out[n] = m;
    }
  });
}

double sum_all(const float* x, std::int64_t n) { return parallel_sum(x, n); }

}  // namespace l2::kernels
