#include "tensor/kernels/conv1d.h"

#include <cstring>
#include <vector>

#include "tensor/blas.h"
#include "tensor/kernels/indexing.h"
#include "tensor/kernels/reduce.h"
#include "tensor/parallel.h"

namespace l2::kernels {

namespace {
// xs[b, t] = x[b, t - s] (zero for t < s): the input as tap j sees it.
void shift_in_time(float* xs, const float* x, std::int64_t B, std::int64_t T, std::int64_t C, std::int64_t s) {
  std::memset(xs, 0, sizeof(float) * B * T * C);
  if (s < T) copy_slices(xs, T, s, x, T, 0, B, T - s, C, false);
}
}  // namespace

void causal_conv1d_forward(float* out, const float* x, const float* w, const float* bias, std::int64_t B,
                           std::int64_t T, std::int64_t Cin, std::int64_t Cout, std::int64_t K, std::int64_t dilation) {
  const std::int64_t N = B * T;
  parallel_for(N, row_block(Cout), [&](std::int64_t n0, std::int64_t n1) {
    for (std::int64_t n = n0; n < n1; ++n) std::memcpy(out + n * Cout, bias, sizeof(float) * Cout);
  });
  for (std::int64_t j = 0; j < K; ++j) {
    const std::int64_t s = (K - 1 - j) * dilation;
    if (s >= T) continue;  // this tap only ever sees the zero padding
    const float* wj = w + j * Cin * Cout;
    if (s == 0) {
      gemm(false, false, N, Cout, Cin, 1.0f, x, wj, 1.0f, out);
    } else {  // out[b, s:T] += x[b, 0:T-s] w[j], one product per sequence, no shifted copy
      gemm_batched(false, false, B, T - s, Cout, Cin, 1.0f, x, Cin, T * Cin, wj, Cout, 0, 1.0f, out + s * Cout, Cout,
                   T * Cout);
    }
  }
}

void causal_conv1d_forward_ref(float* out, const float* x, const float* w, const float* bias, std::int64_t B,
                               std::int64_t T, std::int64_t Cin, std::int64_t Cout, std::int64_t K,
                               std::int64_t dilation) {
  for (std::int64_t b = 0; b < B; ++b)
    for (std::int64_t t = 0; t < T; ++t)
      for (std::int64_t o = 0; o < Cout; ++o) {
        double s = bias[o];
        for (std::int64_t j = 0; j < K; ++j) {
          const std::int64_t tt = t - (K - 1 - j) * dilation;
          if (tt < 0) continue;
          for (std::int64_t c = 0; c < Cin; ++c) s += double(x[(b * T + tt) * Cin + c]) * w[(j * Cin + c) * Cout + o];
        }
        out[(b * T + t) * Cout + o] = float(s);
      }
}

void causal_conv1d_backward(float* dx, float* dw, float* dbias, const float* dout, const float* x, const float* w,
                            std::int64_t B, std::int64_t T, std::int64_t Cin, std::int64_t Cout, std::int64_t K,
                            std::int64_t dilation) {
  const std::int64_t N = B * T;
  if (dbias) sum_axis(dbias, dout, 1, N, Cout, true);
  std::vector<float> buf;
  for (std::int64_t j = 0; j < K; ++j) {
    const std::int64_t s = (K - 1 - j) * dilation;
    if (s >= T) continue;
    const float* wj = w + j * Cin * Cout;
    if (dw) {  // dw[j] += xs^T dout over all B*T rows
      const float* xj = x;
      if (s > 0) {
        buf.resize(static_cast<size_t>(N * Cin));
        shift_in_time(buf.data(), x, B, T, Cin, s);
        xj = buf.data();
      }
      gemm(true, false, Cin, Cout, N, 1.0f, xj, dout, 1.0f, dw + j * Cin * Cout);
    }
    if (dx) {  // dx[b, 0:T-s] += dout[b, s:T] w[j]^T
      if (s == 0)
        gemm(false, true, N, Cin, Cout, 1.0f, dout, wj, 1.0f, dx);
      else
        gemm_batched(false, true, B, T - s, Cin, Cout, 1.0f, dout + s * Cout, Cout, T * Cout, wj, Cout, 0, 1.0f, dx, Cin,
                     T * Cin);
    }
  }
}

}  // namespace l2::kernels
