// Layer normalisation over the last axis (Ba et al. 2016, eq. 3-4), with biased variance as in
// TensorFlow's and PyTorch's implementations:
//   mean = (1/C) sum_c x_c,  rstd = 1 / sqrt((1/C) sum_c (x_c - mean)^2 + eps)
//   out_c = (x_c - mean) * rstd * w_c + b_c
// x, out: [N, C]   w, b: [C]   mean, rstd: [N], saved by the forward for the backward.
#pragma once

#include <cstdint>

namespace l2::kernels {

void layer_norm_forward(float* out, float* mean, float* rstd, const float* x, const float* w, const float* b,
                        std::int64_t N, std::int64_t C, float eps);
void layer_norm_forward_ref(float* out, float* mean, float* rstd, const float* x, const float* w, const float* b,
                            std::int64_t N, std::int64_t C, float eps);

// Accumulates (+=) into dx, dw, db; any of them may be nullptr when not needed.
//   norm = (x - mean) * rstd,  g = dout * w
//   dx += rstd * (g - mean_c(g) - norm * mean_c(g * norm))
//   dw += sum_n dout * norm,   db += sum_n dout
void layer_norm_backward(float* dx, float* dw, float* db, const float* dout, const float* x, const float* w,
                         const float* mean, const float* rstd, std::int64_t N, std::int64_t C);
void layer_norm_backward_ref(float* dx, float* dw, float* db, const float* dout, const float* x, const float* w,
                             const float* mean, const float* rstd, std::int64_t N, std::int64_t C);

}  // namespace l2::kernels
