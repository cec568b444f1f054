// Dilated causal 1-D convolution over time, the building block of NextItNet (Yuan et al.,
// WSDM 2019): the output at step t sees only steps t, t-d, ..., t-(K-1)d, with zeros before the
// start (left zero-padding of (K-1)*d steps).
//   x: [B, T, Cin]   w: [K, Cin, Cout]   bias: [Cout]   out: [B, T, Cout]
//   out[b, t] = bias + sum_j x[b, t - s_j] w[j],   s_j = (K-1-j)*d,  x[b, t'] = 0 for t' < 0
// The kernels are direct register-tiled products over all taps at once, reading the input where
// it lies (no zero-padded copy) against weights repacked once per call (Note [Direct causal
// convolution] in conv1d.cpp); `_ref` are the naive loops.
#pragma once

#include <cstdint>

namespace l2::kernels {

void causal_conv1d_forward(float* out, const float* x, const float* w, const float* bias, std::int64_t B,
                           std::int64_t T, std::int64_t Cin, std::int64_t Cout, std::int64_t K, std::int64_t dilation);
void causal_conv1d_forward_ref(float* out, const float* x, const float* w, const float* bias, std::int64_t B,
                               std::int64_t T, std::int64_t Cin, std::int64_t Cout, std::int64_t K,
                               std::int64_t dilation);
// Accumulates: dx[b, t - s_j] += dout[b, t] w[j]^T,  dw[j] += sum x[b, t - s_j]^T dout[b, t],  dbias += sum dout.
// Any of dx, dw, dbias may be nullptr.
void causal_conv1d_backward(float* dx, float* dw, float* dbias, const float* dout, const float* x, const float* w,
                            std::int64_t B, std::int64_t T, std::int64_t Cin, std::int64_t Cout, std::int64_t K,
                            std::int64_t dilation);
void causal_conv1d_backward_ref(float* dx, float* dw, float* dbias, const float* dout, const float* x, const float* w,
                                std::int64_t B, std::int64_t T, std::int64_t Cin, std::int64_t Cout, std::int64_t K,
                                std::int64_t dilation);

}  // namespace l2::kernels
