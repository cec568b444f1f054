#include "tensor/kernels/gru.h"

#include <cmath>
#include <cstring>
#include <vector>

#include "tensor/blas.h"
#include "tensor/kernels/reduce.h"
#include "tensor/parallel.h"

namespace l2::kernels {

namespace {
inline float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }
}  // namespace

void gru_forward(float* out, float* cache, const float* gi, const float* w, const float* b, const float* mask,
                 const GruShape& s) {
  const std::int64_t B = s.B, T = s.T, H = s.H, G = 3 * H;
  std::vector<float> gh(static_cast<size_t>(B * G));
  for (std::int64_t t = 0; t < T; ++t) {
    // gh = h_{t-1} W + b; h_{t-1} is column t-1 of out (rows T*H apart), or 0 at t = 0.
    for (std::int64_t r = 0; r < B; ++r) std::memcpy(gh.data() + r * G, b, sizeof(float) * G);
    if (t > 0) gemm(false, false, B, G, H, 1.0f, out + (t - 1) * H, T * H, w, G, 1.0f, gh.data(), G);
    float* c = cache + t * B * 4 * H;
    parallel_for(B, row_block(4 * H), [&](std::int64_t r0, std::int64_t r1) {
      for (std::int64_t r = r0; r < r1; ++r) {
        const float* x = gi + (r * T + t) * G;
        const float* g = gh.data() + r * G;
        const float* h = t > 0 ? out + (r * T + t - 1) * H : nullptr;
        float* y = out + (r * T + t) * H;
        float* cr = c + r * 4 * H;  // r | z | n | gh_n
        const bool real = !mask || mask[r * T + t] != 0.0f;
        for (std::int64_t j = 0; j < H; ++j) {
          const float rg = sigmoid(x[j] + g[j]);
          const float zg = sigmoid(x[H + j] + g[H + j]);
          const float ng = std::tanh(x[2 * H + j] + rg * g[2 * H + j]);
          const float hp = h ? h[j] : 0.0f;
          cr[j] = rg;
          cr[H + j] = zg;
          cr[2 * H + j] = ng;
          cr[3 * H + j] = g[2 * H + j];
          y[j] = real ? ng + zg * (hp - ng) : hp;
        }
      }
    });
  }
}

void gru_backward(float* dgi, float* dw, float* db, const float* dout, const float* out, const float* cache,
                  const float* w, const float* mask, const GruShape& s) {
  const std::int64_t B = s.B, T = s.T, H = s.H, G = 3 * H;
  std::vector<float> dh(static_cast<size_t>(B * H), 0.0f), dgh(static_cast<size_t>(B * G));
  for (std::int64_t t = T - 1; t >= 0; --t) {
    const float* c = cache + t * B * 4 * H;
    parallel_for(B, row_block(4 * H), [&](std::int64_t r0, std::int64_t r1) {
      for (std::int64_t r = r0; r < r1; ++r) {
        float* d = dh.data() + r * H;  // gradient of h_t: carried + this step's output
        const float* dy = dout + (r * T + t) * H;
        for (std::int64_t j = 0; j < H; ++j) d[j] += dy[j];
        float* g = dgh.data() + r * G;
        const bool real = !mask || mask[r * T + t] != 0.0f;
        if (!real) {  // h_t = h_{t-1}: the gradient passes through untouched
          std::memset(g, 0, sizeof(float) * G);
          continue;
        }
        const float* cr = c + r * 4 * H;
        const float* h = t > 0 ? out + (r * T + t - 1) * H : nullptr;
        float* dx = dgi ? dgi + (r * T + t) * G : nullptr;
        for (std::int64_t j = 0; j < H; ++j) {
          const float rg = cr[j], zg = cr[H + j], ng = cr[2 * H + j], ghn = cr[3 * H + j];
          const float hp = h ? h[j] : 0.0f;
          const float dn = d[j] * (1.0f - zg);
          const float dz = d[j] * (hp - ng);
          const float dn_pre = dn * (1.0f - ng * ng);
          const float dr_pre = dn_pre * ghn * rg * (1.0f - rg);
          const float dz_pre = dz * zg * (1.0f - zg);
          g[j] = dr_pre;
          g[H + j] = dz_pre;
          g[2 * H + j] = dn_pre * rg;
          if (dx) {
            dx[j] += dr_pre;
            dx[H + j] += dz_pre;
            dx[2 * H + j] += dn_pre;
          }
          d[j] *= zg;  // the direct path h_{t-1} -> h_t; the path through gh is added below
        }
      }
    });
    if (db) sum_axis(db, dgh.data(), 1, B, G, true);
    if (t > 0) {
      if (dw) gemm(true, false, H, G, B, 1.0f, out + (t - 1) * H, T * H, dgh.data(), G, 1.0f, dw, G);  // dW += h^T dgh
      gemm(false, true, B, H, G, 1.0f, dgh.data(), G, w, G, 1.0f, dh.data(), H);                      // dh += dgh W^T
    }
  }
}

}  // namespace l2::kernels
