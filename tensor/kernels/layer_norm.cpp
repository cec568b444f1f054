#include "tensor/kernels/layer_norm.h"

#include <cmath>
#include <cstring>
#include <vector>

#include "tensor/parallel.h"
#include "tensor/simd.h"

namespace l2::kernels {

namespace {

// Mean and 1/std of one row: two passes (mean, then squared deviations) for accuracy when
// |mean| >> std.
inline void row_moments(float& mean, float& rstd, const float* xr, std::int64_t C, float eps) {
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
  mean = m;
  rstd = 1.0f / std::sqrt(v / float(C) + eps);
}

// Runs row(n, bw, bb, scratch) for every row, in parallel over fixed blocks of rows; the parameter
// gradients go to per-block partials bw, bb ([C] each, nullptr when neither dw nor db is wanted)
// that are then added to dw, db in block order (Note [Determinism]). scratch holds C floats.
template <class RowFn>
void backward_rows(float* dw, float* db, std::int64_t N, std::int64_t C, RowFn&& row) {
  const std::int64_t rb = row_block(C);
  const std::int64_t nblocks = (N + rb - 1) / rb;
  const bool params = dw || db;
  std::vector<float> pw(params ? size_t(nblocks * C) : 0, 0.0f), pb(params ? size_t(nblocks * C) : 0, 0.0f);
  parallel_for(N, rb, [&](std::int64_t n0, std::int64_t n1) {
    float* bw = params ? pw.data() + (n0 / rb) * C : nullptr;
    float* bb = params ? pb.data() + (n0 / rb) * C : nullptr;
    std::vector<float> scratch(static_cast<size_t>(C));
    for (std::int64_t n = n0; n < n1; ++n) row(n, bw, bb, scratch.data());
  });
  for (std::int64_t k = 0; k < nblocks && params; ++k)
    for (std::int64_t c = 0; c < C; ++c) {
      if (dw) dw[c] += pw[size_t(k * C + c)];
      if (db) db[c] += pb[size_t(k * C + c)];
    }
}

// One row of the layer-norm backward for the output gradient g (see layer_norm.h), into dx
// (if given) and the block partials bw, bb (if given).
inline void backward_row(float* d, float* bw, float* bb, const float* g, const float* xr, const float* w, float mean,
                         float rstd, std::int64_t C) {
  const Batch vm(mean), vr(rstd);
  if (d) {
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
      const float norm = (xr[c] - mean) * rstd;
      const float dn = g[c] * w[c];
      s1 += dn;
      s2 += dn * norm;
    }
    const float m1 = s1 / float(C), m2 = s2 / float(C);
    const Batch vm1(m1), vm2(m2);
    for (c = 0; c + kWidth <= C; c += kWidth) {
      const Batch norm = (load(xr + c) - vm) * vr;
      const Batch dn = load(g + c) * load(w + c);
      store(d + c, load(d + c) + (dn - vm1 - norm * vm2) * vr);
    }
    for (; c < C; ++c) {
      const float norm = (xr[c] - mean) * rstd;
      d[c] += (g[c] * w[c] - m1 - norm * m2) * rstd;
    }
  }
  if (bw) {
    std::int64_t c = 0;
    for (; c + kWidth <= C; c += kWidth) {
      const Batch norm = (load(xr + c) - vm) * vr;
      store(bw + c, xsimd::fma(load(g + c), norm, load(bw + c)));
      store(bb + c, load(bb + c) + load(g + c));
    }
    for (; c < C; ++c) {
      bw[c] += g[c] * (xr[c] - mean) * rstd;
      bb[c] += g[c];
    }
  }
}

}  // namespace

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

void layer_norm_forward(float* out, float* mean, float* rstd, const float* x, const float* w, const float* b,
                        std::int64_t N, std::int64_t C, float eps) {
  parallel_for(N, row_block(C), [&](std::int64_t n0, std::int64_t n1) {
    for (std::int64_t n = n0; n < n1; ++n) {
      const float* xr = x + n * C;
      float* o = out + n * C;
      row_moments(mean[n], rstd[n], xr, C, eps);
      const float m = mean[n], r = rstd[n];
      const Batch vm(m), vr(r);
      std::int64_t c = 0;
      for (; c + kWidth <= C; c += kWidth)
        store(o + c, xsimd::fma((load(xr + c) - vm) * vr, load(w + c), load(b + c)));
      for (; c < C; ++c) o[c] = (xr[c] - m) * r * w[c] + b[c];
    }
  });
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

void layer_norm_backward(float* dx, float* dw, float* db, const float* dout, const float* x, const float* w,
                         const float* mean, const float* rstd, std::int64_t N, std::int64_t C) {
  backward_rows(dw, db, N, C, [&](std::int64_t n, float* bw, float* bb, float*) {
    backward_row(dx ? dx + n * C : nullptr, bw, bb, dout + n * C, x + n * C, w, mean[n], rstd[n], C);
  });
}

void layer_norm_relu_forward_ref(float* out, float* mean, float* rstd, const float* x, const float* w, const float* b,
                                 const float* mask, const float* res, std::int64_t N, std::int64_t C, float eps) {
  layer_norm_forward_ref(out, mean, rstd, x, w, b, N, C, eps);
  for (std::int64_t n = 0; n < N; ++n) {
    const float m = mask ? mask[n] : 1.0f;
    if (m == 0.0f) mean[n] = rstd[n] = 0.0f;
    for (std::int64_t c = 0; c < C; ++c) {
      float& o = out[n * C + c];
      o = (o > 0.0f ? o : 0.0f) * m + (res ? res[n * C + c] : 0.0f);
    }
  }
}

void layer_norm_relu_forward(float* out, float* mean, float* rstd, const float* x, const float* w, const float* b,
                             const float* mask, const float* res, std::int64_t N, std::int64_t C, float eps) {
  parallel_for(N, row_block(C), [&](std::int64_t n0, std::int64_t n1) {
    for (std::int64_t n = n0; n < n1; ++n) {
      const float* xr = x + n * C;
      const float* rr = res ? res + n * C : nullptr;
      float* o = out + n * C;
      if (mask && mask[n] == 0.0f) {  // a padding step: out = res + 0
        mean[n] = rstd[n] = 0.0f;
        for (std::int64_t c = 0; c < C; ++c) o[c] = rr ? rr[c] + 0.0f : 0.0f;
        continue;
      }
      row_moments(mean[n], rstd[n], xr, C, eps);
      const float m = mean[n], r = rstd[n];
      const Batch vm(m), vr(r), zero(0.0f);
      std::int64_t c = 0;
      for (; c + kWidth <= C; c += kWidth) {
        const Batch h = xsimd::max(xsimd::fma((load(xr + c) - vm) * vr, load(w + c), load(b + c)), zero);
        store(o + c, rr ? load(rr + c) + h : h);
      }
      for (; c < C; ++c) {
        const float z = (xr[c] - m) * r * w[c] + b[c];
        const float h = z > 0.0f ? z : 0.0f;
        o[c] = rr ? rr[c] + h : h;
      }
    }
  });
}

void layer_norm_relu_backward_ref(float* dx, float* dw, float* db, const float* dout, const float* x, const float* w,
                                  const float* b, const float* mean, const float* rstd, const float* mask,
                                  std::int64_t N, std::int64_t C) {
  std::vector<float> g(static_cast<size_t>(C));
  for (std::int64_t n = 0; n < N; ++n) {
    if (mask && mask[n] == 0.0f) continue;
    for (std::int64_t c = 0; c < C; ++c) {
      const double z = (x[n * C + c] - mean[n]) * double(rstd[n]) * w[c] + b[c];
      g[size_t(c)] = z > 0.0 ? dout[n * C + c] : 0.0f;
    }
    layer_norm_backward_ref(dx ? dx + n * C : nullptr, dw, db, g.data(), x + n * C, w, mean + n, rstd + n, 1, C);
  }
}

void layer_norm_relu_backward(float* dx, float* dw, float* db, const float* dout, const float* x, const float* w,
                              const float* b, const float* mean, const float* rstd, const float* mask, std::int64_t N,
                              std::int64_t C) {
  backward_rows(dw, db, N, C, [&](std::int64_t n, float* bw, float* bb, float* g) {
    if (mask && mask[n] == 0.0f) return;  // no gradient reaches a padding step
    // g = dout where the ReLU passed (LN(x) > 0, recomputed as the forward computed it), else 0.
    const float* xr = x + n * C;
    const float* dy = dout + n * C;
    const Batch vm(mean[n]), vr(rstd[n]), zero(0.0f);
    std::int64_t c = 0;
    for (; c + kWidth <= C; c += kWidth) {
      const Batch z = xsimd::fma((load(xr + c) - vm) * vr, load(w + c), load(b + c));
      store(g + c, xsimd::select(z > zero, load(dy + c), zero));
    }
    for (; c < C; ++c) {
      const float z = (xr[c] - mean[n]) * rstd[n] * w[c] + b[c];
      g[c] = z > 0.0f ? dy[c] : 0.0f;
    }
    backward_row(dx ? dx + n * C : nullptr, bw, bb, g, xr, w, mean[n], rstd[n], C);
  });
}

}  // namespace l2::kernels
