// Reductions. A tensor reduced along one axis is viewed as [outer, A, inner] and summed over A;
// every sum is formed in an order fixed by the shape alone (Note [Determinism] in parallel.h).
#pragma once

#include <cstdint>

namespace l2::kernels {

// out[o, i] (+)= sum_a x[o, a, i]. `accumulate` adds into out instead of overwriting it.
void sum_axis(float* out, const float* x, std::int64_t outer, std::int64_t A, std::int64_t inner, bool accumulate);
void sum_axis_ref(float* out, const float* x, std::int64_t outer, std::int64_t A, std::int64_t inner, bool accumulate);
// Backward of sum_axis: dx[o, a, i] += dout[o, i] * scale (scale = 1/A gives the mean's backward).
void expand_axis_add(float* dx, const float* dout, std::int64_t outer, std::int64_t A, std::int64_t inner, float scale);

// out[n] = max_c x[n, c] over rows of C.
void max_last(float* out, const float* x, std::int64_t N, std::int64_t C);

// Sum of all n values (fixed blocks; see parallel_sum).
double sum_all(const float* x, std::int64_t n);

}  // namespace l2::kernels
