#include "tensor/kernels/softmax.h"

#include <cmath>

#include "tensor/kernels/elementwise.h"
#include "tensor/parallel.h"
#include "tensor/simd.h"

namespace l2::kernels {

namespace {

float row_max(const float* x, std::int64_t C) {
  std::int64_t c = 0;
  float m = x[0];
  if (C >= kWidth) {
    Batch vm = load(x);
    for (c = kWidth; c + kWidth <= C; c += kWidth) vm = xsimd::max(vm, load(x + c));
    m = hmax(vm);
  }
  for (; c < C; ++c) m = x[c] > m ? x[c] : m;
  return m;
}

// The scalar references' normaliser of one row: its maximum m and Σ_c e^(x_c - m) in double.
double exp_sum_ref(const float* xr, std::int64_t C, float& m) {
  m = xr[0];
  for (std::int64_t c = 1; c < C; ++c) m = xr[c] > m ? xr[c] : m;
  double s = 0.0;
  for (std::int64_t c = 0; c < C; ++c) s += std::exp(double(xr[c]) - m);
  return s;
}

}  // namespace

float exp_shifted(float* y, const float* x, float m, std::int64_t C) {
  const Batch vm(m);
  Batch acc(0.0f);
  std::int64_t c = 0;
  for (; c + kWidth <= C; c += kWidth) {
    const Batch e = xsimd::exp(load(x + c) - vm);
    store(y + c, e);
    acc += e;
  }
  float s = hsum(acc);
  for (; c < C; ++c) {
    y[c] = std::exp(x[c] - m);
    s += y[c];
  }
  return s;
}

void softmax_forward_ref(float* y, const float* x, std::int64_t N, std::int64_t C) {
  for (std::int64_t n = 0; n < N; ++n) {
    const float* xr = x + n * C;
    float m = 0.0f;
    const double s = exp_sum_ref(xr, C, m);
    for (std::int64_t c = 0; c < C; ++c) y[n * C + c] = float(std::exp(double(xr[c]) - m) / s);
  }
}

void softmax_forward(float* y, const float* x, std::int64_t N, std::int64_t C) {
  parallel_for(N, row_block(C), [&](std::int64_t n0, std::int64_t n1) {
    for (std::int64_t n = n0; n < n1; ++n) {
      const float* xr = x + n * C;
      float* yr = y + n * C;
      const float inv = 1.0f / exp_shifted(yr, xr, row_max(xr, C), C);
      const Batch vinv(inv);
      std::int64_t c = 0;
      for (; c + kWidth <= C; c += kWidth) store(yr + c, load(yr + c) * vinv);
      for (; c < C; ++c) yr[c] *= inv;
    }
  });
}

void softmax_backward_ref(float* dx, const float* dy, const float* y, std::int64_t N, std::int64_t C) {
  for (std::int64_t n = 0; n < N; ++n) {
    double s = 0.0;
    for (std::int64_t c = 0; c < C; ++c) s += double(dy[n * C + c]) * y[n * C + c];
    for (std::int64_t c = 0; c < C; ++c) dx[n * C + c] += float(y[n * C + c] * (dy[n * C + c] - s));
  }
}

void softmax_backward(float* dx, const float* dy, const float* y, std::int64_t N, std::int64_t C) {
  parallel_for(N, row_block(C), [&](std::int64_t n0, std::int64_t n1) {
    for (std::int64_t n = n0; n < n1; ++n) {
      const std::int64_t o = n * C;
      const float s = dot(dy + o, y + o, C);
      const Batch vs(s);
      std::int64_t c = 0;
      for (; c + kWidth <= C; c += kWidth)
        store(dx + o + c, xsimd::fma(load(y + o + c), load(dy + o + c) - vs, load(dx + o + c)));
      for (; c < C; ++c) dx[o + c] += y[o + c] * (dy[o + c] - s);
    }
  });
}

void log_softmax_forward_ref(float* y, const float* x, std::int64_t N, std::int64_t C) {
  for (std::int64_t n = 0; n < N; ++n) {
    const float* xr = x + n * C;
    float m = 0.0f;
    const double s = exp_sum_ref(xr, C, m);
    const double shift = m + std::log(s);
    for (std::int64_t c = 0; c < C; ++c) y[n * C + c] = float(xr[c] - shift);
  }
}

void log_softmax_forward(float* y, const float* x, std::int64_t N, std::int64_t C) {
  parallel_for(N, row_block(C), [&](std::int64_t n0, std::int64_t n1) {
    for (std::int64_t n = n0; n < n1; ++n) {
      const float* xr = x + n * C;
      float* yr = y + n * C;
      const float m = row_max(xr, C);
      const float shift = m + std::log(exp_shifted(yr, xr, m, C));  // yr is scratch here
      const Batch vs(shift);
      std::int64_t c = 0;
      for (; c + kWidth <= C; c += kWidth) store(yr + c, load(xr + c) - vs);
      for (; c < C; ++c) yr[c] = xr[c] - shift;
    }
  });
}

void log_softmax_backward_ref(float* dx, const float* dy, const float* y, std::int64_t N, std::int64_t C) {
  for (std::int64_t n = 0; n < N; ++n) {
    double s = 0.0;
    for (std::int64_t c = 0; c < C; ++c) s += dy[n * C + c];
    for (std::int64_t c = 0; c < C; ++c) dx[n * C + c] += float(dy[n * C + c] - std::exp(double(y[n * C + c])) * s);
  }
}

void log_softmax_backward(float* dx, const float* dy, const float* y, std::int64_t N, std::int64_t C) {
  parallel_for(N, row_block(C), [&](std::int64_t n0, std::int64_t n1) {
    for (std::int64_t n = n0; n < n1; ++n) {
      const std::int64_t o = n * C;
      Batch acc(0.0f);
      std::int64_t c = 0;
      for (; c + kWidth <= C; c += kWidth) acc += load(dy + o + c);
      float s = hsum(acc);
      for (; c < C; ++c) s += dy[o + c];
      const Batch vs(s);
      for (c = 0; c + kWidth <= C; c += kWidth)
        store(dx + o + c, load(dx + o + c) + load(dy + o + c) - xsimd::exp(load(y + o + c)) * vs);
      for (; c < C; ++c) dx[o + c] += dy[o + c] - std::exp(y[o + c]) * s;
    }
  });
}

}  // namespace l2::kernels
