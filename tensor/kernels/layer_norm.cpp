#include "tensor/kernels/layer_norm.h"

#include <cmath>
#include <cstring>
#include <vector>

#include "tensor/parallel.h"
#include "tensor/simd.h"

namespace l2::kernels {

void layer_norm_forward(float* out, float* mean, float* rstd, const float* x, const float* w, const float* b,
                        std::int64_t N, std::int64_t C, float eps) {
  parallel_for(N, row_block(C), [&](std::int64_t n0, std::int64_t n1) {
    for (std::int64_t n = n0; n < n1; ++n) {
      const float* xr = x + n * C;
      float* o = out + n * C;
      // Two passes (mean, then squared deviations) for accuracy when |mean| >> std.
      Batch acc(0.0f);
      std::int64_t c = 0;
      for (; c + kWidth <= C; c += kWidth) acc += load(xr + c);
      float s = hsum(acc);
      for (; c < C; ++c) s += xr[c];
      const float m = s / float(C);
      const Batch vm(m);
      acc = Batch(0.0f);
      for (c = 0; c + kWidth <= C; c += kWidth) {
        const Batch d = load(xr + c) - vm;
        acc = xsimd::fma(d, d, acc);
      }
      float v = hsum(acc);
      for (; c < C; ++c) v += (xr[c] - m) * (xr[c] - m);
      const float r = 1.0f / std::sqrt(v / float(C) + eps);
      const Batch vr(r);
      for (c = 0; c + kWidth <= C; c += kWidth)
        store(o + c, xsimd::fma((load(xr + c) - vm) * vr, load(w + c), load(b + c)));
      for (; c < C; ++c) o[c] = (xr[c] - m) * r * w[c] + b[c];
      mean[n] = m;
      rstd[n] = r;
    }
  });
}

void layer_norm_forward_ref(float* out, float* mean, float* rstd, const float* x, const float* w, const float* b,
                            std::int64_t N, std::int64_t C, float eps) {
  for (std::int64_t n = 0; n < N; ++n) {
    const float* xr = x + n * C;
    double m = 0.0, v = 0.0;
    for (std::int64_t c = 0; c < C; ++c) m += xr[c];
    m /= double(C);
    for (std::int64_t c = 0; c < C; ++c) v += (xr[c] - m) * (xr[c] - m);
    const double r = 1.0 / std::sqrt(v / double(C) + eps);
    for (std::int64_t c = 0; c < C; ++c) out[n * C + c] = float((xr[c] - m) * r * w[c] + b[c]);
    mean[n] = float(m);
    rstd[n] = float(r);
  }
}

void layer_norm_backward(float* dx, float* dw, float* db, const float* dout, const float* x, const float* w,
                         const float* mean, const float* rstd, std::int64_t N, std::int64_t C) {
  // dw and db sum over rows: per fixed block of rows into its own partial, then blocks in order.
  const std::int64_t rb = row_block(C);
  const std::int64_t nblocks = (N + rb - 1) / rb;
  const bool params = dw || db;
  std::vector<float> pw(params ? size_t(nblocks * C) : 0, 0.0f), pb(params ? size_t(nblocks * C) : 0, 0.0f);
  parallel_for(N, rb, [&](std::int64_t n0, std::int64_t n1) {
    float* bw = params ? pw.data() + (n0 / rb) * C : nullptr;
    float* bb = params ? pb.data() + (n0 / rb) * C : nullptr;
    for (std::int64_t n = n0; n < n1; ++n) {
      const float* xr = x + n * C;
      const float* g = dout + n * C;
      const Batch vm(mean[n]), vr(rstd[n]);
      if (dx) {
        // Two row means: of dnorm = g*w, and of dnorm*norm.
        Batch a1(0.0f), a2(0.0f);
        std::int64_t c = 0;
        for (; c + kWidth <= C; c += kWidth) {
          const Batch norm = (load(xr + c) - vm) * vr;
          const Batch dn = load(g + c) * load(w + c);
          a1 += dn;
          a2 = xsimd::fma(dn, norm, a2);
        }
        float s1 = hsum(a1), s2 = hsum(a2);
        for (; c < C; ++c) {
          const float norm = (xr[c] - mean[n]) * rstd[n];
          const float dn = g[c] * w[c];
          s1 += dn;
          s2 += dn * norm;
        }
        const float m1 = s1 / float(C), m2 = s2 / float(C);
        const Batch vm1(m1), vm2(m2);
        float* d = dx + n * C;
        for (c = 0; c + kWidth <= C; c += kWidth) {
          const Batch norm = (load(xr + c) - vm) * vr;
          const Batch dn = load(g + c) * load(w + c);
          store(d + c, load(d + c) + (dn - vm1 - norm * vm2) * vr);
        }
        for (; c < C; ++c) {
          const float norm = (xr[c] - mean[n]) * rstd[n];
          d[c] += (g[c] * w[c] - m1 - norm * m2) * rstd[n];
        }
      }
      if (params) {
        std::int64_t c = 0;
        for (; c + kWidth <= C; c += kWidth) {
          const Batch norm = (load(xr + c) - vm) * vr;
          store(bw + c, xsimd::fma(load(g + c), norm, load(bw + c)));
          store(bb + c, load(bb + c) + load(g + c));
        }
        for (; c < C; ++c) {
          bw[c] += g[c] * (xr[c] - mean[n]) * rstd[n];
          bb[c] += g[c];
        }
      }
    }
  });
  for (std::int64_t k = 0; k < nblocks && params; ++k)
    for (std::int64_t c = 0; c < C; ++c) {
      if (dw) dw[c] += pw[size_t(k * C + c)];
      if (db) db[c] += pb[size_t(k * C + c)];
    }
}

void layer_norm_backward_ref(float* dx, float* dw, float* db, const float* dout, const float* x, const float* w,
                             const float* mean, const float* rstd, std::int64_t N, std::int64_t C) {
  for (std::int64_t n = 0; n < N; ++n) {
    const float* xr = x + n * C;
    const float* g = dout + n * C;
    double m1 = 0.0, m2 = 0.0;
    for (std::int64_t c = 0; c < C; ++c) {
      const double norm = (xr[c] - mean[n]) * double(rstd[n]);
      m1 += double(g[c]) * w[c];
      m2 += double(g[c]) * w[c] * norm;
    }
    m1 /= double(C);
    m2 /= double(C);
    for (std::int64_t c = 0; c < C; ++c) {
      const double norm = (xr[c] - mean[n]) * double(rstd[n]);
      if (dx) dx[n * C + c] += float((double(g[c]) * w[c] - m1 - norm * m2) * rstd[n]);
      if (dw) dw[c] += float(g[c] * norm);
      if (db) db[c] += g[c];
    }
  }
}

}  // namespace l2::kernels
