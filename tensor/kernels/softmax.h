// Softmax and log-softmax along the last axis of an [N, C] view, numerically stable: the row
// maximum is subtracted before exponentiating, so large-magnitude inputs give no inf or NaN.
// A row must hold at least one finite value (masks use a large negative number, not -inf).
#pragma once

#include <cstdint>

namespace l2::kernels {

// y = exp(x - max) / sum exp(x - max)
void softmax_forward(float* y, const float* x, std::int64_t N, std::int64_t C);
void softmax_forward_ref(float* y, const float* x, std::int64_t N, std::int64_t C);
// dx += y * (dy - sum_c dy*y)
void softmax_backward(float* dx, const float* dy, const float* y, std::int64_t N, std::int64_t C);
void softmax_backward_ref(float* dx, const float* dy, const float* y, std::int64_t N, std::int64_t C);

// y = x - max - log sum exp(x - max)
void log_softmax_forward(float* y, const float* x, std::int64_t N, std::int64_t C);
void log_softmax_forward_ref(float* y, const float* x, std::int64_t N, std::int64_t C);
// dx += dy - exp(y) * sum_c dy
void log_softmax_backward(float* dx, const float* dy, const float* y, std::int64_t N, std::int64_t C);
void log_softmax_backward_ref(float* dx, const float* dy, const float* y, std::int64_t N, std::int64_t C);

// One row's y = exp(x - m) (y may be x); returns the sum of y. The step every softmax shares
// (the fused attention's rows too).
float exp_shifted(float* y, const float* x, float m, std::int64_t C);

}  // namespace l2::kernels
