#include "tensor/kernels/loss.h"

#include <cmath>
#include <vector>

#include "tensor/kernels/elementwise.h"
#include "tensor/kernels/softmax.h"
#include "tensor/parallel.h"
#include "tensor/simd.h"

namespace l2::kernels {

void bce_with_logits_forward_ref(float* y, const float* z, const float* t, std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) {
    const double s = 1.0 / (1.0 + std::exp(-double(z[i])));
    y[i] = float(-(t[i] * std::log(s) + (1.0 - t[i]) * std::log1p(-s)));
  }
}

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

namespace {
// The loss terms of one logit z with label 1 (softplus(-z), and sigmoid(z) - 1 for the gradient) or
// label 0 (softplus(z), sigmoid(z)), from a single exp(-|z|): softplus(x) = max(x, 0) + log1p(e^-|x|).
struct LogitTerms {
  double loss, grad;
};
inline LogitTerms logit_terms(double z, bool positive) {
  const double e = std::exp(-std::fabs(z)), l = std::log1p(e);
  if (positive) return {(z < 0 ? -z : 0.0) + l, -(z >= 0 ? e / (1.0 + e) : 1.0 / (1.0 + e))};  // sigmoid - 1
  return {(z > 0 ? z : 0.0) + l, z >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e)};
}
}  // namespace

double sampled_bce_forward(float* gpos, float* gneg, const float* h, const float* table, const std::int32_t* pos,
                           const std::int32_t* neg, const float* w, std::int64_t N, std::int64_t C, double denom) {
  const std::int64_t rb = row_block(C * 4);
  const std::int64_t nblocks = (N + rb - 1) / rb;
  std::vector<double> partial(static_cast<size_t>(nblocks), 0.0);
  parallel_for(N, rb, [&](std::int64_t n0, std::int64_t n1) {
    double acc = 0.0;
    for (std::int64_t n = n0; n < n1; ++n) {
      if (w[n] == 0.0f) {
        gpos[n] = gneg[n] = 0.0f;
        continue;
      }
      if (n + 1 < n1) {
        prefetch_row(table + std::int64_t(pos[n + 1]) * C, C);
        prefetch_row(table + std::int64_t(neg[n + 1]) * C, C);
      }
      const float zp = dot(h + n * C, table + std::int64_t(pos[n]) * C, C);
      const float zn = dot(h + n * C, table + std::int64_t(neg[n]) * C, C);
      const LogitTerms p = logit_terms(zp, true), q = logit_terms(zn, false);
      acc += double(w[n]) * (p.loss + q.loss);
      gpos[n] = float(double(w[n]) * p.grad / denom);
      gneg[n] = float(double(w[n]) * q.grad / denom);
    }
    partial[size_t(n0 / rb)] = acc;
  });
  double total = 0.0;
  for (double p : partial) total += p;
  return total / denom;
}

void sampled_bce_backward_h(float* dh, const float* gpos, const float* gneg, float dy, const float* table,
                            const std::int32_t* pos, const std::int32_t* neg, std::int64_t N, std::int64_t C) {
  parallel_for(N, row_block(C * 2), [&](std::int64_t n0, std::int64_t n1) {
    for (std::int64_t n = n0; n < n1; ++n) {
      if (gpos[n] == 0.0f && gneg[n] == 0.0f) continue;
      if (n + 1 < n1) {
        prefetch_row(table + std::int64_t(pos[n + 1]) * C, C);
        prefetch_row(table + std::int64_t(neg[n + 1]) * C, C);
      }
      const Batch a(dy * gpos[n]), b(dy * gneg[n]);
      const float* ep = table + std::int64_t(pos[n]) * C;
      const float* en = table + std::int64_t(neg[n]) * C;
      float* d = dh + n * C;
      std::int64_t c = 0;
      for (; c + kWidth <= C; c += kWidth) store(d + c, xsimd::fma(b, load(en + c), xsimd::fma(a, load(ep + c), load(d + c))));
      for (; c < C; ++c) d[c] += dy * gpos[n] * ep[c] + dy * gneg[n] * en[c];
    }
  });
}

void sampled_bce_table_rows(float* rows, const float* gpos, const float* gneg, float dy, const float* h, std::int64_t N,
                            std::int64_t C) {
  parallel_for(N, row_block(C * 2), [&](std::int64_t n0, std::int64_t n1) {
    for (std::int64_t n = n0; n < n1; ++n) {
      const float a = dy * gpos[n], b = dy * gneg[n];
      const float* hn = h + n * C;
      float* rp = rows + 2 * n * C;
      float* rn = rp + C;
      for (std::int64_t c = 0; c < C; ++c) {
        rp[c] = a * hn[c];
        rn[c] = b * hn[c];
      }
    }
  });
}

}  // namespace l2::kernels
