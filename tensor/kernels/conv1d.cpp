#include "tensor/kernels/conv1d.h"

#include <cstring>
#include <vector>

#include "tensor/blas.h"
#include "tensor/tensor.h"
#include "tensor/kernels/reduce.h"
#include "tensor/parallel.h"

namespace l2::kernels {

// Note [Padded layout for the causal convolution]
// In a layout where every sequence is preceded by P >= (K-1)*d zero rows, [B, P + T, C] viewed as
// one matrix, tap j (shift s_j) is a single GEMM between rows r and r - s_j of the whole matrix:
// a row never reaches past its own sequence's zero rows. So each tap is one large product (instead
// of one small product per sequence), at the price of P extra rows per sequence and one copy in
// and out of the layout. The output rows that fall on padding are computed and discarded.
namespace {

struct Padded {
  std::int64_t P, L;  // padding rows per sequence, rows per sequence (P + T)
};

// dst [B, P + T, C] with zero padding rows, src [B, T, C].
void to_padded(float* dst, const float* src, std::int64_t B, std::int64_t T, std::int64_t C, const Padded& p) {
  parallel_for(B, 1, [&](std::int64_t b0, std::int64_t b1) {
    for (std::int64_t b = b0; b < b1; ++b) {
      std::memset(dst + b * p.L * C, 0, sizeof(float) * p.P * C);
      std::memcpy(dst + (b * p.L + p.P) * C, src + b * T * C, sizeof(float) * T * C);
    }
  });
}

// dst [B, T, C] (+)= the non-padding rows of src [B, P + T, C].
void from_padded(float* dst, const float* src, std::int64_t B, std::int64_t T, std::int64_t C, const Padded& p,
                 bool accumulate) {
  parallel_for(B, 1, [&](std::int64_t b0, std::int64_t b1) {
    for (std::int64_t b = b0; b < b1; ++b) {
      float* d = dst + b * T * C;
      const float* s = src + (b * p.L + p.P) * C;
      if (accumulate)
        for (std::int64_t i = 0; i < T * C; ++i) d[i] += s[i];
      else
        std::memcpy(d, s, sizeof(float) * T * C);
    }
  });
}

Padded padding_for(std::int64_t T, std::int64_t K, std::int64_t d) {
  const std::int64_t P = std::min((K - 1) * d, T);  // a shift of T or more only ever sees zeros
  return {P, P + T};
}

}  // namespace

void causal_conv1d_forward(float* out, const float* x, const float* w, const float* bias, std::int64_t B,
                           std::int64_t T, std::int64_t Cin, std::int64_t Cout, std::int64_t K, std::int64_t dilation) {
  // One sequence is its own padded layout (the zeros before it are implicit: a tap's product
  // simply starts at its shift), so it needs no copies; NextItNet runs its whole batch that way
  // (Note [NextItNet's flat layout] in recsys/models/nextitnet.cpp).
  const bool flat = B == 1;
  const Padded p = flat ? Padded{0, T} : padding_for(T, K, dilation);
  const std::int64_t R = B * p.L;  // rows of the padded matrices
  // Scratch from the storage cache (Note [Storage cache]): no page faults on every call.
  Tensor xp, yp;
  if (!flat) {
    xp = Tensor::empty(Shape{R, Cin});
    yp = Tensor::empty(Shape{R, Cout});
    to_padded(xp.data(), x, B, T, Cin, p);
  }
  const float* xs = flat ? x : xp.data();
  float* ys = flat ? out : yp.data();
  parallel_for(R, row_block(Cout), [&](std::int64_t r0, std::int64_t r1) {
    for (std::int64_t r = r0; r < r1; ++r) std::memcpy(ys + r * Cout, bias, sizeof(float) * Cout);
  });
  for (std::int64_t j = 0; j < K; ++j) {
    const std::int64_t s = (K - 1 - j) * dilation;
    if (s >= T) continue;  // this tap only ever sees the zero padding
    // ys[r] += xs[r - s] w[j] for r >= s
    gemm(false, false, R - s, Cout, Cin, 1.0f, xs, w + j * Cin * Cout, 1.0f, ys + s * Cout);
  }
  if (!flat) from_padded(out, yp.data(), B, T, Cout, p, false);
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
  const bool flat = B == 1;  // no copies (see the forward)
  const Padded p = flat ? Padded{0, T} : padding_for(T, K, dilation);
  const std::int64_t R = B * p.L;
  if (dbias) sum_axis(dbias, dout, 1, B * T, Cout, true);
  // The output gradient in the padded layout, zero on the padding rows (discarded outputs).
  Tensor gp, xp, dxp;
  if (!flat) {
    gp = Tensor::empty(Shape{R, Cout});
    to_padded(gp.data(), dout, B, T, Cout, p);
    if (dw) {
      xp = Tensor::empty(Shape{R, Cin});
      to_padded(xp.data(), x, B, T, Cin, p);
    }
    if (dx) dxp = Tensor::zeros(Shape{R, Cin});
  }
  const float* gs = flat ? dout : gp.data();
  const float* xs = flat ? x : xp.data();
  float* dxs = flat ? dx : dxp.data();
  for (std::int64_t j = 0; j < K; ++j) {
    const std::int64_t s = (K - 1 - j) * dilation;
    if (s >= T) continue;
    const float* wj = w + j * Cin * Cout;
    if (dw)  // dw[j] += sum_r xs[r - s]^T gs[r]
      gemm(true, false, Cin, Cout, R - s, 1.0f, xs, gs + s * Cout, 1.0f, dw + j * Cin * Cout);
    if (dx)  // dxs[r - s] += gs[r] w[j]^T
      gemm(false, true, R - s, Cin, Cout, 1.0f, gs + s * Cout, wj, 1.0f, dxs);
  }
  if (dx && !flat) from_padded(dx, dxp.data(), B, T, Cin, p, true);
}

}  // namespace l2::kernels
