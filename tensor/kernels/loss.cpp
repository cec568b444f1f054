#include "tensor/kernels/loss.h"

#include <cmath>

#include "tensor/kernels/softmax.h"
#include "tensor/parallel.h"
#include "tensor/simd.h"

namespace l2::kernels {

void bce_with_logits_forward(float* y, const float* z, const float* t, std::int64_t n) {
  parallel_for(n, kElementBlock, [&](std::int64_t b, std::int64_t e) {
    std::int64_t i = b;
    const Batch zero(0.0f), one(1.0f);
    for (; i + kWidth <= e; i += kWidth) {
      const Batch zi = load(z + i);
      store(y + i, xsimd::max(zi, zero) - zi * load(t + i) + xsimd::log(one + xsimd::exp(-xsimd::abs(zi))));
    }
    for (; i < e; ++i) y[i] = std::max(z[i], 0.0f) - z[i] * t[i] + std::log1p(std::exp(-std::fabs(z[i])));
  });
}

void bce_with_logits_forward_ref(float* y, const float* z, const float* t, std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) {
    const double s = 1.0 / (1.0 + std::exp(-double(z[i])));
    y[i] = float(-(t[i] * std::log(s) + (1.0 - t[i]) * std::log1p(-s)));
  }
}

void bce_with_logits_backward(float* dz, const float* dy, const float* z, const float* t, std::int64_t n) {
  parallel_for(n, kElementBlock, [&](std::int64_t b, std::int64_t e) {
    std::int64_t i = b;
    const Batch one(1.0f);
    for (; i + kWidth <= e; i += kWidth) {
      const Batch s = one / (one + xsimd::exp(-load(z + i)));
      store(dz + i, xsimd::fma(load(dy + i), s - load(t + i), load(dz + i)));
    }
    for (; i < e; ++i) dz[i] += dy[i] * (1.0f / (1.0f + std::exp(-z[i])) - t[i]);
  });
}

void cross_entropy_forward(float* y, float* logp, const float* z, const std::int32_t* t, std::int64_t N, std::int64_t K) {
  log_softmax_forward(logp, z, N, K);
  for (std::int64_t n = 0; n < N; ++n) y[n] = -logp[n * K + t[n]];
}

void cross_entropy_backward(float* dz, const float* dy, const float* logp, const std::int32_t* t, std::int64_t N,
                            std::int64_t K) {
  parallel_for(N, row_block(K), [&](std::int64_t n0, std::int64_t n1) {
    for (std::int64_t n = n0; n < n1; ++n) {
      for (std::int64_t k = 0; k < K; ++k) dz[n * K + k] += dy[n] * std::exp(logp[n * K + k]);
      dz[n * K + t[n]] -= dy[n];
    }
  });
}

}  // namespace l2::kernels
