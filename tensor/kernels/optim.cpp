#include "tensor/kernels/optim.h"

#include <cmath>

#include "tensor/parallel.h"
#include "tensor/simd.h"

namespace l2::kernels {

namespace {
// The Adam arithmetic on one contiguous run, vector body then scalar tail.
void adam_run(float* p, const float* g, float* m, float* v, std::int64_t n, const AdamStep& s) {
  const float step_size = s.lr / s.bias1, inv_b2 = 1.0f / std::sqrt(s.bias2);
  const float decay = s.decoupled ? 1.0f - s.lr * s.weight_decay : 1.0f;
  const float l2 = s.decoupled ? 0.0f : s.weight_decay;
  const Batch vb1(s.beta1), vb2(s.beta2), v1b1(1.0f - s.beta1), v1b2(1.0f - s.beta2), vss(step_size),
      vinv(inv_b2), veps(s.eps), vdecay(decay), vl2(l2);
  std::int64_t i = 0;
  for (; i + kWidth <= n; i += kWidth) {
    Batch pi = load(p + i);
    const Batch gi = xsimd::fma(vl2, pi, load(g + i));
    pi *= vdecay;
    const Batch mi = xsimd::fma(vb1, load(m + i), v1b1 * gi);
    const Batch vi = xsimd::fma(vb2, load(v + i), v1b2 * gi * gi);
    store(m + i, mi);
    store(v + i, vi);
    store(p + i, pi - vss * mi / (xsimd::sqrt(vi) * vinv + veps));
  }
  for (; i < n; ++i) {
    const float gi = g[i] + l2 * p[i];
    p[i] *= decay;
    m[i] = s.beta1 * m[i] + (1.0f - s.beta1) * gi;
    v[i] = s.beta2 * v[i] + (1.0f - s.beta2) * gi * gi;
    p[i] -= step_size * m[i] / (std::sqrt(v[i]) * inv_b2 + s.eps);
  }
}
}  // namespace

void adam_update_ref(float* p, const float* g, float* m, float* v, std::int64_t n, const AdamStep& s) {
  for (std::int64_t i = 0; i < n; ++i) {
    double gi = g[i] + (s.decoupled ? 0.0 : double(s.weight_decay) * p[i]);
    double pi = p[i] * (s.decoupled ? 1.0 - double(s.lr) * s.weight_decay : 1.0);
    m[i] = float(s.beta1 * double(m[i]) + (1.0 - s.beta1) * gi);
    v[i] = float(s.beta2 * double(v[i]) + (1.0 - s.beta2) * gi * gi);
    pi -= (double(s.lr) / s.bias1) * m[i] / (std::sqrt(double(v[i])) / std::sqrt(double(s.bias2)) + s.eps);
    p[i] = float(pi);
  }
}

void adam_update(float* p, const float* g, float* m, float* v, std::int64_t n, const AdamStep& s) {
  parallel_for(n, kElementBlock, [&](std::int64_t b, std::int64_t e) { adam_run(p + b, g + b, m + b, v + b, e - b, s); });
}

void adam_update_rows(float* p, const float* g, float* m, float* v, const std::int32_t* rows, std::int64_t nrows,
                      std::int64_t C, const AdamStep& s) {
  parallel_for(nrows, row_block(C), [&](std::int64_t r0, std::int64_t r1) {
    for (std::int64_t k = r0; k < r1; ++k) {
      const std::int64_t o = std::int64_t(rows[k]) * C;
      adam_run(p + o, g + o, m + o, v + o, C, s);
    }
  });
}

void adagrad_update(float* p, const float* g, float* acc, std::int64_t n, float lr, float eps, float weight_decay) {
  parallel_for(n, kElementBlock, [&](std::int64_t b, std::int64_t e) {
    for (std::int64_t i = b; i < e; ++i) {
      const float gi = g[i] + weight_decay * p[i];
      acc[i] += gi * gi;
      p[i] -= lr * gi / (std::sqrt(acc[i]) + eps);
    }
  });
}

void sgd_update(float* p, const float* g, float* buf, std::int64_t n, float lr, float momentum, float weight_decay,
                bool first_step) {
  parallel_for(n, kElementBlock, [&](std::int64_t b, std::int64_t e) {
    for (std::int64_t i = b; i < e; ++i) {
      float gi = g[i] + weight_decay * p[i];
      if (momentum != 0.0f) {
        buf[i] = first_step ? gi : momentum * buf[i] + gi;
        gi = buf[i];
      }
      p[i] -= lr * gi;
    }
  });
}

}  // namespace l2::kernels
