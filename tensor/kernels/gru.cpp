#include "tensor/kernels/gru.h"

#include <cmath>
#include <cstring>
#include <vector>

#include "tensor/blas.h"
#include "tensor/kernels/reduce.h"
#include "tensor/parallel.h"
#include "tensor/simd.h"

namespace l2::kernels {

namespace {

// Rows per task: a fixed share of the batch (at most 16 tasks), so that both cores have work at
// every step even for small batches, and the split depends on the shape only.
std::int64_t rows_per_task(std::int64_t B) { return std::max<std::int64_t>(4, (B + 15) / 16); }

inline Batch sigmoid(const Batch& x) { return Batch(1.0f) / (Batch(1.0f) + xsimd::exp(-x)); }
inline float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

// One step of one row: gates from the input projection x [3H] and the recurrent projection g [3H]
// (bias included), previous state h (nullptr = 0); writes the gates to c [4H] and the state to y.
void step_row(float* y, float* c, const float* x, const float* g, const float* h, bool real, std::int64_t H) {
  std::int64_t j = 0;
  for (; j + kWidth <= H; j += kWidth) {
    const Batch r = sigmoid(load(x + j) + load(g + j));
    const Batch z = sigmoid(load(x + H + j) + load(g + H + j));
    const Batch ghn = load(g + 2 * H + j);
    const Batch n = xsimd::tanh(load(x + 2 * H + j) + r * ghn);
    const Batch hp = h ? load(h + j) : Batch(0.0f);
    store(c + j, r);
    store(c + H + j, z);
    store(c + 2 * H + j, n);
    store(c + 3 * H + j, ghn);
    store(y + j, real ? xsimd::fma(z, hp - n, n) : hp);
  }
  for (; j < H; ++j) {
    const float r = sigmoid(x[j] + g[j]);
    const float z = sigmoid(x[H + j] + g[H + j]);
    const float n = std::tanh(x[2 * H + j] + r * g[2 * H + j]);
    const float hp = h ? h[j] : 0.0f;
    c[j] = r;
    c[H + j] = z;
    c[2 * H + j] = n;
    c[3 * H + j] = g[2 * H + j];
    y[j] = real ? std::fma(z, hp - n, n) : hp;
  }
}

}  // namespace

void gru_forward(float* out, float* cache, const float* gi, const float* w, const float* b, const float* mask,
                 const GruShape& s) {
  const std::int64_t B = s.B, T = s.T, H = s.H, G = 3 * H;
  blas_info();  // load the BLAS outside the parallel regions
  std::vector<float> gh(static_cast<size_t>(B * G));
  for (std::int64_t t = 0; t < T; ++t) {
    float* c = cache + t * B * 4 * H;
    // Each task computes gh = h_{t-1} W + b for its rows (h_{t-1} is column t-1 of out, rows
    // T*H apart; 0 at t = 0), then the gates of those rows: one parallel region per step.
    parallel_for(B, rows_per_task(B), [&](std::int64_t r0, std::int64_t r1) {
      float* g = gh.data() + r0 * G;
      for (std::int64_t r = r0; r < r1; ++r) std::memcpy(gh.data() + r * G, b, sizeof(float) * G);
      if (t > 0) gemm_single_thread(false, false, r1 - r0, G, H, 1.0f, out + (r0 * T + t - 1) * H, T * H, w, G, 1.0f, g, G);
      for (std::int64_t r = r0; r < r1; ++r)
        step_row(out + (r * T + t) * H, c + r * 4 * H, gi + (r * T + t) * G, gh.data() + r * G,
                 t > 0 ? out + (r * T + t - 1) * H : nullptr, !mask || mask[r * T + t] != 0.0f, H);
    });
  }
}

void gru_backward(float* dgi, float* dw, float* db, const float* dout, const float* out, const float* cache,
                  const float* w, const float* mask, const GruShape& s) {
  const std::int64_t B = s.B, T = s.T, H = s.H, G = 3 * H;
  blas_info();
  std::vector<float> dh(static_cast<size_t>(B * H), 0.0f);
  // The recurrent-projection gradients of every step, [T, B, 3H]: the weight gradient is one GEMM
  // over all of them after the time loop.
  std::vector<float> dgh(static_cast<size_t>(T * B * G));
  for (std::int64_t t = T - 1; t >= 0; --t) {
    const float* c = cache + t * B * 4 * H;
    float* dg_t = dgh.data() + t * B * G;
    parallel_for(B, rows_per_task(B), [&](std::int64_t r0, std::int64_t r1) {
      for (std::int64_t r = r0; r < r1; ++r) {
        float* d = dh.data() + r * H;  // gradient of h_t: carried + this step's output
        const float* dy = dout + (r * T + t) * H;
        float* g = dg_t + r * G;
        if (mask && mask[r * T + t] == 0.0f) {  // h_t = h_{t-1}: the gradient passes through untouched
          for (std::int64_t j = 0; j < H; ++j) d[j] += dy[j];
          std::memset(g, 0, sizeof(float) * G);
          continue;
        }
        const float* cr = c + r * 4 * H;
        const float* h = t > 0 ? out + (r * T + t - 1) * H : nullptr;
        float* dx = dgi ? dgi + (r * T + t) * G : nullptr;
        for (std::int64_t j = 0; j < H; ++j) {
          const float dht = d[j] + dy[j];
          const float rg = cr[j], zg = cr[H + j], ng = cr[2 * H + j], ghn = cr[3 * H + j];
          const float hp = h ? h[j] : 0.0f;
          const float dn_pre = dht * (1.0f - zg) * (1.0f - ng * ng);
          const float dr_pre = dn_pre * ghn * rg * (1.0f - rg);
          const float dz_pre = dht * (hp - ng) * zg * (1.0f - zg);
          g[j] = dr_pre;
          g[H + j] = dz_pre;
          g[2 * H + j] = dn_pre * rg;
          if (dx) {
            dx[j] += dr_pre;
            dx[H + j] += dz_pre;
            dx[2 * H + j] += dn_pre;
          }
          d[j] = dht * zg;  // the direct path h_{t-1} -> h_t; the path through gh is added next
        }
      }
      if (t > 0)  // dh_{t-1} += dgh W^T for this task's rows
        gemm_single_thread(false, true, r1 - r0, H, G, 1.0f, dg_t + r0 * G, G, w, G, 1.0f, dh.data() + r0 * H, H);
    });
  }
  if (db) sum_axis(db, dgh.data(), 1, T * B, G, true);
  if (dw && T > 1) {
    // dW = sum_t h_{t-1}^T dgh_t: the previous states laid out [T-1, B, H] against dgh of steps 1..T-1.
    std::vector<float> hprev(static_cast<size_t>((T - 1) * B * H));
    parallel_for(T - 1, 1, [&](std::int64_t t0, std::int64_t t1) {
      for (std::int64_t t = t0; t < t1; ++t)
        for (std::int64_t r = 0; r < B; ++r)
          std::memcpy(hprev.data() + (t * B + r) * H, out + (r * T + t) * H, sizeof(float) * H);
    });
    gemm(true, false, H, G, (T - 1) * B, 1.0f, hprev.data(), dgh.data() + B * G, 1.0f, dw);
  }
}

}  // namespace l2::kernels
