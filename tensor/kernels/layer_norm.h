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

// Layer norm, ReLU, a row mask and a residual, fused (each half of NextItNet's residual block,
// recsys/models/nextitnet_block.h: h = ReLU(LN(conv(x))) with padding steps zeroed, then x + h):
//   out_n = res_n + m_n * relu(LN(x_n))        res = 0 when nullptr, m = 1 when nullptr (m is 0/1)
// equal to the composition layer_norm, relu, mul by the mask, add. A row with m_n = 0 is not
// normalised at all (its mean and rstd are set to 0 and never read).
void layer_norm_relu_forward(float* out, float* mean, float* rstd, const float* x, const float* w, const float* b,
                             const float* mask, const float* res, std::int64_t N, std::int64_t C, float eps);
void layer_norm_relu_forward_ref(float* out, float* mean, float* rstd, const float* x, const float* w, const float* b,
                                 const float* mask, const float* res, std::int64_t N, std::int64_t C, float eps);
// Accumulates into dx, dw, db (any may be nullptr) the layer-norm backward of
//   g = dout * m_n * [LN(x) > 0]      (the ReLU's gate, recomputed from x, mean and rstd)
// (the residual's gradient, dres += dout, is the caller's).
void layer_norm_relu_backward(float* dx, float* dw, float* db, const float* dout, const float* x, const float* w,
                              const float* b, const float* mean, const float* rstd, const float* mask, std::int64_t N,
                              std::int64_t C);
void layer_norm_relu_backward_ref(float* dx, float* dw, float* db, const float* dout, const float* x, const float* w,
                                  const float* b, const float* mean, const float* rstd, const float* mask,
                                  std::int64_t N, std::int64_t C);

}  // namespace l2::kernels
