#include "tensor/kernels/gru.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <type_traits>
#include <vector>

#include "tensor/gemm.h"
#include "tensor/kernels/tile_product.h"
#include "tensor/kernels/reduce.h"
#include "tensor/parallel.h"
#include "tensor/simd.h"
#include "tensor/tensor.h"

namespace l2::kernels {

namespace {

// Rows per task: one register tile of the recurrent product (tensor/kernels/tile_product.h), so
// that the batch splits evenly over the threads at every step (512 rows: 86 tasks) and the split
// depends on the shape only.
constexpr std::int64_t kRowsPerTask = kTileRows;

inline Batch sigmoid(const Batch& x) { return Batch(1.0f) / (Batch(1.0f) + xsimd::exp(-x)); }
inline float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

// One step of one row: gates from the input projection x [3H] and the recurrent projection g [3H]
// (bias included), previous state h (nullptr = 0); writes the gates to c [4H] (unless c is null:
// no backward will read them) and the state to y.
void step_row(float* y, float* c, const float* x, const float* g, const float* h, bool real, std::int64_t H) {
  std::int64_t j = 0;
  for (; j + kWidth <= H; j += kWidth) {
    const Batch r = sigmoid(load(x + j) + load(g + j));
    const Batch z = sigmoid(load(x + H + j) + load(g + H + j));
    const Batch ghn = load(g + 2 * H + j);
    const Batch n = xsimd::tanh(load(x + 2 * H + j) + r * ghn);
    const Batch hp = h ? load(h + j) : Batch(0.0f);
    if (c) {
      store(c + j, r);
      store(c + H + j, z);
      store(c + 2 * H + j, n);
      store(c + 3 * H + j, ghn);
    }
    store(y + j, real ? xsimd::fma(z, hp - n, n) : hp);
  }
  for (; j < H; ++j) {
    const float r = sigmoid(x[j] + g[j]);
    const float z = sigmoid(x[H + j] + g[H + j]);
    const float n = std::tanh(x[2 * H + j] + r * g[2 * H + j]);
    const float hp = h ? h[j] : 0.0f;
    if (c) {
      c[j] = r;
      c[H + j] = z;
      c[2 * H + j] = n;
      c[3 * H + j] = g[2 * H + j];
    }
    y[j] = real ? std::fma(z, hp - n, n) : hp;
  }
}

}  // namespace

void gru_forward(float* out, float* cache, const float* gi, const float* w, const float* b, const float* mask,
                 const GruShape& s) {
  const std::int64_t B = s.B, T = s.T, H = s.H, G = 3 * H;
  const PackedRows wp(w, H, G, G, false);
  const auto bp = padded_vector(b, G);
  Tensor gh = Tensor::empty(Shape{B, G});
  for (std::int64_t t = 0; t < T; ++t) {
    float* c = cache ? cache + t * B * 4 * H : nullptr;
    // Each task computes gh = h_{t-1} W + b for its rows (h_{t-1} is column t-1 of out, rows
    // T*H apart; 0 at t = 0), then the gates of those rows: one parallel region per step.
    parallel_for(B, kRowsPerTask, [&](std::int64_t r0, std::int64_t r1) {
      float* g = gh.data() + r0 * G;
      if (t > 0)
        rows_times_packed(g, G, out + (r0 * T + t - 1) * H, T * H, r1 - r0, wp, bp.data());
      else
        for (std::int64_t r = r0; r < r1; ++r) std::memcpy(gh.data() + r * G, b, sizeof(float) * G);
      for (std::int64_t r = r0; r < r1; ++r)
        step_row(out + (r * T + t) * H, c ? c + r * 4 * H : nullptr, gi + (r * T + t) * G, gh.data() + r * G,
                 t > 0 ? out + (r * T + t - 1) * H : nullptr, !mask || mask[r * T + t] != 0.0f, H);
    });
  }
}

namespace {

// The backward of one step of one real row (see gru.h for the forward):
//   dn_pre = dh (1 - z)(1 - n^2)   dr_pre = dn_pre gh_n r (1 - r)   dz_pre = dh (h - n) z (1 - z)
// g [3H] receives the recurrent-projection gradient (dr_pre, dz_pre, dn_pre r), dx [3H] the
// input-projection gradient (dr_pre, dz_pre, dn_pre), and d [H] becomes the part
// of dh_{t-1} that flows through h' = n + z (h - n) directly, dh z.
template <class V>
inline void step_backward(float* d, float* g, float* dx, const float* dy, const float* c, const float* h, std::int64_t j,
                          std::int64_t H) {
  auto ld = [](const float* p) {
    if constexpr (std::is_same_v<V, float>) return *p;
    else return load(p);
  };
  auto st = [](float* p, const V& v) {
    if constexpr (std::is_same_v<V, float>) *p = v;
    else store(p, v);
  };
  const V one(1.0f);
  const V dht = ld(d + j) + ld(dy + j);
  const V rg = ld(c + j), zg = ld(c + H + j), ng = ld(c + 2 * H + j), ghn = ld(c + 3 * H + j);
  const V hp = h ? ld(h + j) : V(0.0f);
  const V dn_pre = dht * (one - zg) * (one - ng * ng);
  const V dr_pre = dn_pre * ghn * rg * (one - rg);
  const V dz_pre = dht * (hp - ng) * zg * (one - zg);
  st(g + j, dr_pre);
  st(g + H + j, dz_pre);
  st(g + 2 * H + j, dn_pre * rg);
  st(dx + j, dr_pre);
  st(dx + H + j, dz_pre);
  st(dx + 2 * H + j, dn_pre);
  st(d + j, dht * zg);
}

}  // namespace

void gru_backward(float* dgi, float* dw, float* db, const float* dout, const float* out, const float* cache,
                  const float* w, const float* mask, const GruShape& s) {
  const std::int64_t B = s.B, T = s.T, H = s.H, G = 3 * H;
  const PackedRows wt(w, G, H, G, true);  // W^T: [3H, H]
  std::vector<float> dh(static_cast<size_t>(B * H), 0.0f);
  // The recurrent-projection gradient of the current step only, [B, 3H]: the weight and bias
  // gradients are rebuilt from dgi after the time loop, so no [B, T, 3H] buffer is kept besides dgi.
  Tensor dgh = Tensor::empty(Shape{B, G});
  for (std::int64_t t = T - 1; t >= 0; --t) {
    const float* c = cache + t * B * 4 * H;
    parallel_for(B, kRowsPerTask, [&](std::int64_t r0, std::int64_t r1) {
      for (std::int64_t r = r0; r < r1; ++r) {
        float* d = dh.data() + r * H;  // gradient of h_t: carried + this step's output
        const float* dy = dout + (r * T + t) * H;
        float* g = dgh.data() + r * G;
        float* dx = dgi + (r * T + t) * G;
        if (mask && mask[r * T + t] == 0.0f) {  // h_t = h_{t-1}: the gradient passes through untouched
          for (std::int64_t j = 0; j < H; ++j) d[j] += dy[j];
          std::memset(g, 0, sizeof(float) * G);
          std::memset(dx, 0, sizeof(float) * G);
          continue;
        }
        const float* cr = c + r * 4 * H;
        const float* h = t > 0 ? out + (r * T + t - 1) * H : nullptr;
        std::int64_t j = 0;
        for (; j + kWidth <= H; j += kWidth) step_backward<Batch>(d, g, dx, dy, cr, h, j, H);
        for (; j < H; ++j) step_backward<float>(d, g, dx, dy, cr, h, j, H);
      }
      if (t > 0)  // dh_{t-1} += dgh W^T for this task's rows
        rows_times_packed(dh.data() + r0 * H, H, dgh.data() + r0 * G, G, r1 - r0, wt, nullptr);
    });
  }
  if (!dw && !db) return;
  // dgh_t = (dgi_r, dgi_z, dgi_n * r_t), rebuilt for a block of sequences at a time; then
  // db += the sum of its rows and dW += sum over rows of h_{t-1}^T dgh_t. In the [b, t] layout
  // the row before (b, t) is (b, t-1), so this is out[0, n-1)^T dgh[1, n) over the block once
  // its t = 0 rows (h_{-1} = 0, and their "previous row" belongs to another sequence) are zeroed.
  const std::int64_t per_block = std::max<std::int64_t>(1, 4096 / T);
  Tensor block = Tensor::empty(Shape{std::min(B, per_block) * T, G});
  for (std::int64_t b0 = 0; b0 < B; b0 += per_block) {
    const std::int64_t b1 = std::min(B, b0 + per_block), n = (b1 - b0) * T;
    parallel_for(n, kRowsPerTask, [&](std::int64_t i0, std::int64_t i1) {
      for (std::int64_t i = i0; i < i1; ++i) {
        const std::int64_t b = b0 + i / T, t = i % T;
        const float* dx = dgi + (b * T + t) * G;
        const float* r = cache + (t * B + b) * 4 * H;
        float* g = block.data() + i * G;
        std::memcpy(g, dx, sizeof(float) * 2 * H);
        for (std::int64_t j = 0; j < H; ++j) g[2 * H + j] = dx[2 * H + j] * r[j];
      }
    });
    if (db) sum_axis(db, block.data(), 1, n, G, true);
    if (dw && T > 1) {
      for (std::int64_t b = 0; b < b1 - b0; ++b) std::memset(block.data() + b * T * G, 0, sizeof(float) * G);
      gemm(true, false, H, G, n - 1, 1.0f, out + b0 * T * H, block.data() + G, 1.0f, dw);
    }
  }
}

}  // namespace l2::kernels
