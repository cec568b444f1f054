#include "tensor/kernels/conv1d.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "tensor/block_cache.h"
#include "tensor/kernels/reduce.h"
#include "tensor/kernels/tile_product.h"
#include "tensor/parallel.h"
#include "tensor/simd.h"

namespace l2::kernels {

// Note [Direct causal convolution]
// A causal convolution is a product whose inner dimension runs over the K taps and the Cin input
// channels, the input row of tap j being the row s_j steps back. Through BLAS that is K GEMMs, one
// per tap, on a copy of the input with (K-1)*d zero rows in front of every sequence: OpenBLAS packs
// the large operand again for every tap, every product after the first reads and writes the whole
// output again (beta = 1), and the padding rows are computed and thrown away (16% more rows at
// length 50). On NextItNet, packing alone took a seventh of the step.
// These kernels compute the product directly instead: an output tile of kRows rows by one or two
// vectors of channels stays in registers (12 accumulators with AVX2) while the loop runs over
// all taps and input channels, broadcasting one input value per row and loading one vector of
// (repacked) weights per term. Each output is written once, each input row is read where it lies,
// and a row before the start of its sequence is a pointer to a row of zeros. The input gradient is
// the same product with the shifts reversed and the weights transposed; the weight gradient sums
// over rows, tiled the other way (a tile of input channels by output channels). The forward beats
// OpenBLAS per tap even without its padding rows (bench/RESULTS.md, "Design measurements behind
// kernel choices").
// Determinism (Note [Determinism]): every output is one tile's sum in a fixed order (bias, taps,
// channels) whichever thread computes it; the weight gradient sums fixed chunks of rows into
// their own buffers and adds them in chunk order.
// With K = 3 taps (NextItNet's default) all three products take the Winograd route instead (Note
// [Winograd F(2,3)]), which needs a third fewer multiply-adds; the direct form serves the other
// kernel sizes and the steps Winograd leaves unpaired.
namespace {

constexpr int kRows = kTileRows;        // rows of an output tile
constexpr std::int64_t kTileBlock = 8;  // output tiles per parallel task
constexpr std::int64_t kRowBlock = 64;  // rows of the output gradient staged per weight-gradient pass
using Aligned = std::vector<float, xsimd::aligned_allocator<float, 64>>;

// out[r] (+)= sum_j src[row_j(r)] w[j] for all B*T rows r, where row_j(r) is the row `shift_j`
// steps away in r's own sequence (backwards for shift > 0), or zeros outside it. w: [K*Kin, N].
void shifted_product(float* out, const float* src, const PackedRows& w, const float* bias, std::int64_t B,
                     std::int64_t T, std::int64_t Kin, std::int64_t K, const std::int64_t* shift) {
  const std::int64_t N = w.N, R = B * T, tiles = (R + kRows - 1) / kRows;
  const Aligned zero(static_cast<size_t>(Kin), 0.0f);
  parallel_for(tiles, kTileBlock, [&](std::int64_t t0, std::int64_t t1) {
    std::vector<const float*> a(static_cast<size_t>(K * kRows));
    std::int64_t steps[kRows];
    for (std::int64_t tile = t0; tile < t1; ++tile) {
      const std::int64_t r0 = tile * kRows;
      const int rows = int(std::min<std::int64_t>(kRows, R - r0));
      steps[0] = r0 % T;  // the step of each row within its sequence
      for (int i = 1; i < rows; ++i) steps[i] = steps[i - 1] + 1 == T ? 0 : steps[i - 1] + 1;
      for (std::int64_t j = 0; j < K; ++j)
        for (int i = 0; i < rows; ++i) {
          const std::int64_t t = steps[i] - shift[j];
          a[size_t(j * rows + i)] = t >= 0 && t < T ? src + (r0 + i - shift[j]) * Kin : zero.data();
        }
      tile_rows(rows, out + r0 * N, N, a.data(), K, Kin, w, bias);
    }
  });
}

// Note [Winograd F(2,3)]
// With K = 3 taps, two outputs d steps apart share two of their three input rows, and Winograd's
// minimal filtering algorithm F(2,3) (Lavin & Gray, "Fast Algorithms for Convolutional Neural
// Networks", CVPR 2016) computes the pair with four row-by-matrix products instead of six. For
//   y(t) = sum_{i<3} x[t + a + i*d] V_i        (a = -2d for the forward, 0 for the input gradient)
// and the input rows d_k = x[t + a + k*d], k = 0..3, of the pair (t, t + d):
//   m0 = (d0 - d2) U0,  m1 = (d1 + d2) U1,  m2 = (d2 - d1) U2,  m3 = (d1 - d3) U3,
//   U0 = V0,  U1 = (V0 + V1 + V2) / 2,  U2 = (V0 - V1 + V2) / 2,  U3 = V2,
//   y(t) = m0 + m1 + m2,  y(t + d) = m1 - m2 - m3.
// The transforms are additions of rows, so the products (the register-tiled tile_rows) do 2/3 of
// the multiply-adds of the direct form; the rounding differs from it by a few ulps. A sequence's
// steps are paired within blocks of 2d steps; steps left without a partner at its end (t + d past
// the end) are computed directly. Every output's formula depends only on (T, d), not on threads.
// The measured gain (bench/RESULTS.md) is below the 1.5x of the multiply-add count because the
// transforms and the four shorter products cost time of their own.
struct WinogradPlan {
  std::vector<std::int64_t> pairs;    // first steps t of the pairs (t, t + d) of one sequence
  std::vector<std::int64_t> singles;  // steps computed directly
  WinogradPlan(std::int64_t T, std::int64_t d) {
    for (std::int64_t b0 = 0; b0 < T; b0 += 2 * d)
      for (std::int64_t i = 0; i < d && b0 + i < T; ++i) {
        if (b0 + i + d < T) pairs.push_back(b0 + i);
        else singles.push_back(b0 + i);
      }
  }
};

// The input transform of F(2,3): rows d0..d3 (n values each) become d0 - d2, d1 + d2, d2 - d1 and
// d1 - d3, written `stride` floats apart from D.
inline void input_transform(float* D, std::int64_t stride, const float* d0, const float* d1, const float* d2,
                            const float* d3, std::int64_t n) {
  float *D0 = D, *D1 = D + stride, *D2 = D + 2 * stride, *D3 = D + 3 * stride;
  std::int64_t c = 0;
  for (; c + kWidth <= n; c += kWidth) {
    const Batch x0 = load(d0 + c), x1 = load(d1 + c), x2 = load(d2 + c), x3 = load(d3 + c);
    store(D0 + c, x0 - x2);
    store(D1 + c, x1 + x2);
    store(D2 + c, x2 - x1);
    store(D3 + c, x1 - x3);
  }
  for (; c < n; ++c) {
    D0[c] = d0[c] - d2[c];
    D1[c] = d1[c] + d2[c];
    D2[c] = d2[c] - d1[c];
    D3[c] = d1[c] - d3[c];
  }
}

// out[r] (+)= y(r) for all B*T rows, y as in Note [Winograd F(2,3)]; V: three [Kin, N] matrices.
void winograd_product(float* out, const float* src, const float* const (&V)[3], std::int64_t ldv, bool transpose,
                      std::int64_t N, const float* bias, std::int64_t B, std::int64_t T, std::int64_t Kin,
                      std::int64_t a, std::int64_t d) {
  // U0..U3 for the pairs, and V stacked as [3*Kin, N] for the direct form of the singles.
  std::vector<float> u(static_cast<size_t>(4 * Kin * N)), vs(static_cast<size_t>(3 * Kin * N));
  for (std::int64_t k = 0; k < Kin; ++k)
    for (std::int64_t n = 0; n < N; ++n) {
      float v[3];
      for (int i = 0; i < 3; ++i) {
        v[i] = transpose ? V[i][n * ldv + k] : V[i][k * ldv + n];
        vs[size_t((i * Kin + k) * N + n)] = v[i];
      }
      float* uk = u.data() + k * N + n;
      uk[0 * Kin * N] = v[0];
      uk[1 * Kin * N] = (v[0] + v[1] + v[2]) * 0.5f;
      uk[2 * Kin * N] = (v[0] - v[1] + v[2]) * 0.5f;
      uk[3 * Kin * N] = v[2];
    }
  const PackedRows U[4] = {PackedRows(u.data(), Kin, N, N, false), PackedRows(u.data() + Kin * N, Kin, N, N, false),
                           PackedRows(u.data() + 2 * Kin * N, Kin, N, N, false),
                           PackedRows(u.data() + 3 * Kin * N, Kin, N, N, false)};
  const PackedRows direct(vs.data(), 3 * Kin, N, N, false);
  const std::int64_t NP = U[0].NP, KP = padded_width(Kin);
  const Aligned zero(static_cast<size_t>(std::max(NP, KP)), 0.0f);
  const WinogradPlan plan(T, d);
  const std::int64_t np = std::int64_t(plan.pairs.size()), ns = std::int64_t(plan.singles.size());
  const std::int64_t pair_tiles = (B * np + kRows - 1) / kRows, single_tiles = (B * ns + kRows - 1) / kRows;
  auto row = [&](std::int64_t b, std::int64_t t) { return t >= 0 && t < T ? src + (b * T + t) * Kin : zero.data(); };
  parallel_for(pair_tiles + single_tiles, kTileBlock, [&](std::int64_t t0, std::int64_t t1) {
    Aligned D(static_cast<size_t>(4 * kRows * KP)), M(static_cast<size_t>(4 * kRows * NP));
    const float* ap[3 * kRows];
    float* dst[2 * kRows];
    for (std::int64_t tile = t0; tile < t1; ++tile) {
      const bool pairs = tile < pair_tiles;
      const std::int64_t first = (pairs ? tile : tile - pair_tiles) * kRows, count = pairs ? B * np : B * ns;
      const int rows = int(std::min<std::int64_t>(kRows, count - first));
      for (int i = 0; i < rows; ++i) {
        const std::int64_t g = first + i, b = g / (pairs ? np : ns);
        const std::int64_t t = pairs ? plan.pairs[size_t(g % np)] : plan.singles[size_t(g % ns)];
        if (!pairs) {
          for (int j = 0; j < 3; ++j) ap[j * rows + i] = row(b, t + a + j * d);
          dst[i] = out + (b * T + t) * N;
          continue;
        }
        input_transform(D.data() + i * KP, kRows * KP, row(b, t + a), row(b, t + a + d), row(b, t + a + 2 * d),
                        row(b, t + a + 3 * d), Kin);
        dst[2 * i] = out + (b * T + t) * N;
        dst[2 * i + 1] = out + (b * T + t + d) * N;
      }
      if (!pairs) {
        // Gathered rows: computed in M, then written (or added) to their places.
        for (int i = 0; i < rows && !bias; ++i) std::memcpy(M.data() + i * NP, dst[i], sizeof(float) * N);
        tile_rows(rows, M.data(), NP, ap, 3, Kin, direct, bias);
        for (int i = 0; i < rows; ++i) std::memcpy(dst[i], M.data() + i * NP, sizeof(float) * N);
        continue;
      }
      for (int k = 0; k < 4; ++k) {
        const float* dk[kRows];
        for (int i = 0; i < rows; ++i) dk[i] = D.data() + (k * kRows + i) * KP;
        tile_rows(rows, M.data() + k * kRows * NP, NP, dk, 1, Kin, U[k], zero.data());
      }
      for (int i = 0; i < rows; ++i) {
        const float *m0 = M.data() + i * NP, *m1 = m0 + kRows * NP, *m2 = m1 + kRows * NP, *m3 = m2 + kRows * NP;
        float *y0 = dst[2 * i], *y1 = dst[2 * i + 1];
        std::int64_t c = 0;
        for (; c + kWidth <= N; c += kWidth) {
          const Batch v1 = load(m1 + c), v2 = load(m2 + c);
          const Batch s0 = load(m0 + c) + v1 + v2, s1 = v1 - v2 - load(m3 + c);
          store(y0 + c, (bias ? load(bias + c) : load(y0 + c)) + s0);
          store(y1 + c, (bias ? load(bias + c) : load(y1 + c)) + s1);
        }
        for (; c < N; ++c) {
          y0[c] = (bias ? bias[c] : y0[c]) + (m0[c] + m1[c] + m2[c]);
          y1[c] = (bias ? bias[c] : y1[c]) + (m1[c] - m2[c] - m3[c]);
        }
      }
    }
  });
}

// Weight gradients sum over all rows; for the bits not to depend on the thread count they sum
// fixed chunks of rows into buffers of their own (W floats each) and add the buffers in chunk order.
// The number of chunks is a power of two (balanced for 1, 2, 4, ... threads) of at least
// `min_each` rows, at most 16.
std::int64_t chunk_count(std::int64_t rows, std::int64_t min_each) {
  std::int64_t chunks = 1;
  while (chunks * 2 <= 16 && rows / (chunks * 2) >= min_each) chunks *= 2;
  return chunks;
}

// dst[0, NP) = sum over the chunks c, in order, of part[c*W + offset + (0, NP)].
inline void add_chunks(float* dst, const float* part, std::int64_t chunks, std::int64_t W, std::int64_t offset,
                       std::int64_t NP) {
  for (std::int64_t o = 0; o < NP; o += kWidth) {
    Batch acc(0.0f);
    for (std::int64_t c = 0; c < chunks; ++c) acc += Batch::load_aligned(part + c * W + offset + o);
    acc.store_aligned(dst + o);
  }
}

// dw[j] += sum over rows of x[r - s_j]^T dout[r]: fixed chunks of rows, each into its own buffer
// [K*Cin, NP], then the chunks added in order.
void weight_gradient(float* dw, const float* dout, const float* x, std::int64_t B, std::int64_t T, std::int64_t Cin,
                     std::int64_t Cout, std::int64_t K, const std::int64_t* shift) {
  const std::int64_t NP = padded_width(Cout), R = B * T, W = K * Cin * NP;
  const std::int64_t chunks = chunk_count(R, 256), len = (R + chunks - 1) / chunks;
  const ScratchFloats part(static_cast<size_t>(chunks * W));
  std::fill_n(part.data(), chunks * W, 0.0f);
  parallel_for(chunks, 1, [&](std::int64_t c0, std::int64_t c1) {
    Aligned g(static_cast<size_t>(kRowBlock * NP), 0.0f);
    for (std::int64_t c = c0; c < c1; ++c) {
      float* p = part.data() + c * W;
      for (std::int64_t q = c * len; q < std::min(R, (c + 1) * len); q += kRowBlock) {
        const std::int64_t qe = std::min({R, (c + 1) * len, q + kRowBlock});
        for (std::int64_t r = q; r < qe; ++r) std::memcpy(g.data() + (r - q) * NP, dout + r * Cout, sizeof(float) * Cout);
        // Per tap, the rows of each sequence in the block whose input row x[r - s] lies in it.
        for (std::int64_t j = 0; j < K; ++j)
          for (std::int64_t r = q; r < qe;) {
            const std::int64_t t = r % T, end = std::min(qe, r + T - t), from = r + std::max<std::int64_t>(0, shift[j] - t);
            if (from < end)
              outer_product_sum(p + j * Cin * NP, NP, false, x + (from - shift[j]) * Cin, Cin, Cin,
                                g.data() + (from - q) * NP, end - from);
            r = end;
          }
      }
    }
  });
  parallel_for(K * Cin, row_block(NP * chunks), [&](std::int64_t k0, std::int64_t k1) {
    Aligned sum(static_cast<size_t>(NP));
    for (std::int64_t k = k0; k < k1; ++k) {
      add_chunks(sum.data(), part.data(), chunks, W, k * NP, NP);
      for (std::int64_t o = 0; o < Cout; ++o) dw[k * Cout + o] += sum[size_t(o)];
    }
  });
}

// The weight gradient of a 3-tap convolution by F(2,3) transposed (Note [Winograd F(2,3)]): for the
// pair (t, t + d) with output gradients g0 = dout[t], g1 = dout[t + d] (g1 = 0 for a step without
// a partner) and inputs e_k = x[t + (k - 2)d], k = 0..3,
//   dw[0] += e0 g0 + e1 g1,  dw[1] += e1 g0 + e2 g1,  dw[2] += e2 g0 + e3 g1   (e^T g outer products)
// are G^T applied to four outer products M_i += ê_i^T ĝ_i of the transformed rows
//   ê = (e0 - e2, e1 + e2, e2 - e1, e1 - e3),  ĝ = (g0, g0 + g1, g0 - g1, -g1):
//   dw[0] = M0 + (M1 + M2)/2,  dw[1] = (M1 - M2)/2,  dw[2] = (M1 + M2)/2 + M3.
// Pairs are summed in fixed chunks, each into its own M buffers, added in chunk order at the end.
void winograd_weight_gradient(float* dw, const float* dout, const float* x, std::int64_t B, std::int64_t T,
                              std::int64_t Cin, std::int64_t Cout, std::int64_t d) {
  const WinogradPlan plan(T, d);
  std::vector<std::int64_t> units = plan.pairs;  // the first steps; the singles have no partner
  units.insert(units.end(), plan.singles.begin(), plan.singles.end());
  const std::int64_t nu = std::int64_t(units.size()), npairs = std::int64_t(plan.pairs.size());
  const std::int64_t NP = padded_width(Cout), KP = padded_width(Cin), U = B * nu, W = 4 * Cin * NP;
  const std::int64_t chunks = chunk_count(U, 128), len = (U + chunks - 1) / chunks;
  const Aligned zero(static_cast<size_t>(std::max(KP, NP)), 0.0f);
  auto xrow = [&](std::int64_t b, std::int64_t t) { return t >= 0 && t < T ? x + (b * T + t) * Cin : zero.data(); };
  const ScratchFloats part(static_cast<size_t>(chunks * W));  // every chunk's M0..M3, [4*Cin, NP] each
  parallel_for(chunks, 1, [&](std::int64_t c0, std::int64_t c1) {
    Aligned E(static_cast<size_t>(4 * kRowBlock * KP)), G(static_cast<size_t>(4 * kRowBlock * NP), 0.0f);
    for (std::int64_t c = c0; c < c1; ++c) {
      float* M = part.data() + c * W;
      bool first = true;
      for (std::int64_t q = c * len; q < std::min(U, (c + 1) * len); q += kRowBlock) {
        const std::int64_t n = std::min({U, (c + 1) * len, q + kRowBlock}) - q;
        for (std::int64_t u = 0; u < n; ++u) {
          const std::int64_t b = (q + u) / nu, k = (q + u) % nu, t = units[size_t(k)];
          input_transform(E.data() + u * KP, kRowBlock * KP, xrow(b, t - 2 * d), xrow(b, t - d), xrow(b, t),
                          xrow(b, t + d), Cin);
          const float* g0 = dout + (b * T + t) * Cout;
          const float* g1 = k < npairs ? dout + (b * T + t + d) * Cout : zero.data();
          float* G0 = G.data() + u * NP;
          float *G1 = G0 + kRowBlock * NP, *G2 = G1 + kRowBlock * NP, *G3 = G2 + kRowBlock * NP;
          std::int64_t i = 0;
          for (; i + kWidth <= Cout; i += kWidth) {
            const Batch y0 = load(g0 + i), y1 = load(g1 + i);
            store(G0 + i, y0);
            store(G1 + i, y0 + y1);
            store(G2 + i, y0 - y1);
            store(G3 + i, Batch(0.0f) - y1);
          }
          for (; i < Cout; ++i) {
            G0[i] = g0[i];
            G1[i] = g0[i] + g1[i];
            G2[i] = g0[i] - g1[i];
            G3[i] = 0.0f - g1[i];
          }
        }
        for (int m = 0; m < 4; ++m)
          outer_product_sum(M + m * Cin * NP, NP, first, E.data() + m * kRowBlock * KP, KP, Cin,
                            G.data() + m * kRowBlock * NP, n);
        first = false;
      }
      if (first) std::fill_n(M, W, 0.0f);  // an empty chunk
    }
  });
  parallel_for(Cin, row_block(4 * NP * chunks), [&](std::int64_t k0, std::int64_t k1) {
    Aligned m(static_cast<size_t>(4 * NP));
    for (std::int64_t k = k0; k < k1; ++k) {
      for (int i = 0; i < 4; ++i) add_chunks(m.data() + i * NP, part.data(), chunks, W, (i * Cin + k) * NP, NP);
      const float *m0 = m.data(), *m1 = m0 + NP, *m2 = m1 + NP, *m3 = m2 + NP;
      for (std::int64_t o = 0; o < Cout; ++o) {
        const float s = (m1[o] + m2[o]) * 0.5f;
        dw[k * Cout + o] += m0[o] + s;
        dw[(Cin + k) * Cout + o] += (m1[o] - m2[o]) * 0.5f;
        dw[(2 * Cin + k) * Cout + o] += s + m3[o];
      }
    }
  });
}

std::vector<std::int64_t> tap_shifts(std::int64_t K, std::int64_t dilation, int sign) {
  std::vector<std::int64_t> s(static_cast<size_t>(K));
  for (std::int64_t j = 0; j < K; ++j) s[size_t(j)] = sign * (K - 1 - j) * dilation;
  return s;
}

}  // namespace

void causal_conv1d_forward_ref(float* out, const float* x, const float* w, const float* bias, std::int64_t B,
                               std::int64_t T, std::int64_t Cin, std::int64_t Cout, std::int64_t K,
                               std::int64_t dilation) {
  for (std::int64_t b = 0; b < B; ++b)
    for (std::int64_t t = 0; t < T; ++t)
      for (std::int64_t o = 0; o < Cout; ++o) {
        double s = bias[o];
        for (std::int64_t j = 0; j < K; ++j) {
          const std::int64_t tt = t - (K - 1 - j) * dilation;
          if (tt < 0) continue;
          for (std::int64_t c = 0; c < Cin; ++c) s += double(x[(b * T + tt) * Cin + c]) * w[(j * Cin + c) * Cout + o];
        }
        out[(b * T + t) * Cout + o] = float(s);
      }
}

void causal_conv1d_forward(float* out, const float* x, const float* w, const float* bias, std::int64_t B,
                           std::int64_t T, std::int64_t Cin, std::int64_t Cout, std::int64_t K, std::int64_t dilation) {
  const Aligned bp = padded_vector(bias, Cout);
  if (K == 3) {
    const float* const V[3] = {w, w + Cin * Cout, w + 2 * Cin * Cout};
    return winograd_product(out, x, V, Cout, false, Cout, bp.data(), B, T, Cin, -2 * dilation, dilation);
  }
  const PackedRows wp(w, K * Cin, Cout, Cout, false);  // [K*Cin, Cout] as it is stored
  const auto shift = tap_shifts(K, dilation, 1);  // out[t] reads x[t - s_j]
  shifted_product(out, x, wp, bp.data(), B, T, Cin, K, shift.data());
}

void causal_conv1d_backward_ref(float* dx, float* dw, float* dbias, const float* dout, const float* x, const float* w,
                                std::int64_t B, std::int64_t T, std::int64_t Cin, std::int64_t Cout, std::int64_t K,
                                std::int64_t dilation) {
  for (std::int64_t o = 0; o < Cout && dbias; ++o) {
    double s = 0.0;
    for (std::int64_t r = 0; r < B * T; ++r) s += dout[r * Cout + o];
    dbias[o] += float(s);
  }
  for (std::int64_t j = 0; j < K; ++j) {
    const std::int64_t s = (K - 1 - j) * dilation;
    for (std::int64_t c = 0; c < Cin; ++c)
      for (std::int64_t o = 0; o < Cout; ++o) {
        const float wv = w[(j * Cin + c) * Cout + o];
        double g = 0.0;
        for (std::int64_t b = 0; b < B; ++b)
          for (std::int64_t t = s; t < T; ++t) {
            const float d = dout[(b * T + t) * Cout + o];
            if (dx) dx[(b * T + t - s) * Cin + c] += d * wv;
            g += double(x[(b * T + t - s) * Cin + c]) * d;
          }
        if (dw) dw[(j * Cin + c) * Cout + o] += float(g);
      }
  }
}

void causal_conv1d_backward(float* dx, float* dw, float* dbias, const float* dout, const float* x, const float* w,
                            std::int64_t B, std::int64_t T, std::int64_t Cin, std::int64_t Cout, std::int64_t K,
                            std::int64_t dilation) {
  if (dbias) sum_axis(dbias, dout, 1, B * T, Cout, true);
  if (dx && K == 3) {
    // dx[t] += dout[t] w[2]^T + dout[t + d] w[1]^T + dout[t + 2d] w[0]^T.
    const float* const V[3] = {w + 2 * Cin * Cout, w + Cin * Cout, w};
    winograd_product(dx, dout, V, Cout, true, Cin, nullptr, B, T, Cout, 0, dilation);
  } else if (dx) {
    // dx[t] += sum_j dout[t + s_j] w[j]^T: each tap's [Cin, Cout] block transposed.
    PackedRows wt;
    wt.K = K * Cout;
    wt.N = Cin;
    wt.NP = padded_width(Cin);
    wt.data.assign(static_cast<size_t>(wt.K * wt.NP), 0.0f);
    for (std::int64_t j = 0; j < K; ++j)
      for (std::int64_t c = 0; c < Cin; ++c)
        for (std::int64_t o = 0; o < Cout; ++o) wt.data[size_t((j * Cout + o) * wt.NP + c)] = w[(j * Cin + c) * Cout + o];
    const auto shift = tap_shifts(K, dilation, -1);
    shifted_product(dx, dout, wt, nullptr, B, T, Cout, K, shift.data());
  }
  if (dw && K == 3) {
    winograd_weight_gradient(dw, dout, x, B, T, Cin, Cout, dilation);
  } else if (dw) {
    const auto shift = tap_shifts(K, dilation, 1);
    weight_gradient(dw, dout, x, B, T, Cin, Cout, K, shift.data());
  }
}

}  // namespace l2::kernels
