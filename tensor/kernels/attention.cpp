#include "tensor/kernels/attention.h"

#include <cmath>
#include <vector>

#include "tensor/blas_library.h"
#include "tensor/gemm.h"
#include "tensor/kernels/dropout.h"
#include "tensor/kernels/softmax.h"
#include "tensor/parallel.h"
#include "tensor/random.h"
#include "tensor/simd.h"

namespace l2::kernels {

namespace {

// P = softmax(masked(scale * q k^T)) for slice n, into p [T, T].
void probabilities(float* p, const float* q, const float* k, const std::int32_t* pad, const AttentionShape& s) {
  const std::int64_t T = s.T, D = s.D;
  gemm_single_thread(false, true, T, T, D, s.scale, q, D, k, D, 0.0f, p, T);
  for (std::int64_t i = 0; i < T; ++i) {
    float* row = p + i * T;
    for (std::int64_t j = i + 1; j < T; ++j) row[j] = kAttentionMask;
    if (pad)
      for (std::int64_t j = 0; j <= i; ++j)
        if (pad[j]) row[j] = kAttentionMask;
    // Stable softmax of the row (a row whose keys are all masked becomes uniform, as in the original).
    float m = row[0];
    for (std::int64_t j = 1; j < T; ++j) m = row[j] > m ? row[j] : m;
    const float inv = 1.0f / exp_shifted(row, row, m, T);
    for (std::int64_t j = 0; j < T; ++j) row[j] *= inv;
  }
}

// Multiplies each element of slice n by its dropout keep factor (0 or 1/(1-p)).
void apply_dropout(float* p, std::int64_t n, const AttentionShape& s) {
  if (s.dropout <= 0.0f) return;
  dropout_apply(p, s.T * s.T, std::uint64_t(n * s.T * s.T), dropout_mask(s.seed, s.stream, s.dropout));
}

}  // namespace

void causal_attention_forward(float* out, const float* q, const float* k, const float* v,
                              const std::int32_t* key_padding, const AttentionShape& s) {
  blas_info();  // load the BLAS outside the parallel region
  const std::int64_t T = s.T, D = s.D;
  parallel_for(s.N, 1, [&](std::int64_t n0, std::int64_t n1) {
    std::vector<float> p(static_cast<size_t>(T * T));
    for (std::int64_t n = n0; n < n1; ++n) {
      const std::int64_t o = n * T * D;
      probabilities(p.data(), q + o, k + o, key_padding ? key_padding + (n / s.H) * T : nullptr, s);
      apply_dropout(p.data(), n, s);
      gemm_single_thread(false, false, T, D, T, 1.0f, p.data(), T, v + o, D, 0.0f, out + o, D);
    }
  });
}

void causal_attention_backward(float* dq, float* dk, float* dv, const float* dout, const float* q, const float* k,
                               const float* v, const std::int32_t* key_padding, const AttentionShape& s) {
  blas_info();
  const std::int64_t T = s.T, D = s.D;
  parallel_for(s.N, 1, [&](std::int64_t n0, std::int64_t n1) {
    std::vector<float> p(static_cast<size_t>(T * T)), pd(static_cast<size_t>(T * T)), dp(static_cast<size_t>(T * T));
    for (std::int64_t n = n0; n < n1; ++n) {
      const std::int64_t o = n * T * D;
      probabilities(p.data(), q + o, k + o, key_padding ? key_padding + (n / s.H) * T : nullptr, s);
      pd = p;
      apply_dropout(pd.data(), n, s);
      if (dv) gemm_single_thread(true, false, T, D, T, 1.0f, pd.data(), T, dout + o, D, 1.0f, dv + o, D);  // dV += Pd^T dO
      if (!dq && !dk) continue;
      // dPd = dO V^T; dP = dPd * keep/(1-p); dS = P * (dP - rowsum(dP * P)) * scale
      gemm_single_thread(false, true, T, T, D, 1.0f, dout + o, D, v + o, D, 0.0f, dp.data(), T);
      apply_dropout(dp.data(), n, s);
      // Masked scores are constants: their gradient is zero even in a fully masked row, whose
      // uniform probabilities are not.
      const std::int32_t* pad = key_padding ? key_padding + (n / s.H) * T : nullptr;
      for (std::int64_t i = 0; i < T; ++i) {
        float* g = dp.data() + i * T;
        const float* pr = p.data() + i * T;
        float dot = 0.0f;
        for (std::int64_t j = 0; j < T; ++j) dot += g[j] * pr[j];
        for (std::int64_t j = 0; j <= i; ++j) g[j] = pad && pad[j] ? 0.0f : pr[j] * (g[j] - dot) * s.scale;
        for (std::int64_t j = i + 1; j < T; ++j) g[j] = 0.0f;
      }
      if (dq) gemm_single_thread(false, false, T, D, T, 1.0f, dp.data(), T, k + o, D, 1.0f, dq + o, D);  // dQ += dS K
      if (dk) gemm_single_thread(true, false, T, D, T, 1.0f, dp.data(), T, q + o, D, 1.0f, dk + o, D);   // dK += dS^T Q
    }
  });
}

}  // namespace l2::kernels
