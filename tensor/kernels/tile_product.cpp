#include "tensor/kernels/tile_product.h"

#include <algorithm>
#include <cstring>

namespace l2::kernels {

namespace {

// n columns (n < kWidth: the rest read as zero, written nowhere).
inline Batch load_cols(const float* p, std::int64_t n) {
  if (n >= kWidth) return load(p);
  alignas(64) float t[kWidth] = {};
  std::copy_n(p, n, t);
  return Batch::load_aligned(t);
}
inline void store_cols(float* p, const Batch& b, std::int64_t n) {
  if (n >= kWidth) {
    store(p, b);
    return;
  }
  alignas(64) float t[kWidth];
  b.store_aligned(t);
  std::copy_n(t, n, p);
}

// acc[i][v] += sum_j sum_k a[j*MR + i][k] * wp[(j*Kin + k)*NP + v*kWidth]: MR rows, NR vectors.
template <int MR, int NR>
inline void tile_product(Batch (&acc)[MR][NR], const float* const* a, std::int64_t taps, std::int64_t Kin,
                         const float* wp, std::int64_t NP) {
  for (std::int64_t j = 0; j < taps; ++j) {
    const float* const* aj = a + j * MR;
    const float* wj = wp + j * Kin * NP;
    for (std::int64_t k = 0; k < Kin; ++k) {
      Batch b[NR];
      for (int v = 0; v < NR; ++v) b[v] = Batch::load_aligned(wj + k * NP + v * kWidth);
      for (int i = 0; i < MR; ++i) {
        const Batch ai(aj[i][k]);
        for (int v = 0; v < NR; ++v) acc[i][v] = xsimd::fma(ai, b[v], acc[i][v]);
      }
    }
  }
}

// Columns [col, col + NR*kWidth) (clipped to N) of MR output rows.
template <int MR, int NR>
void column_tile(float* out, std::int64_t ldo, std::int64_t col, const float* const* a, std::int64_t taps,
                 std::int64_t Kin, const PackedRows& w, const float* bias) {
  Batch acc[MR][NR];
  const std::int64_t valid = std::min<std::int64_t>(NR * kWidth, w.N - col);
  for (int v = 0; v < NR; ++v)
    for (int i = 0; i < MR; ++i)
      acc[i][v] = bias ? Batch::load_aligned(bias + col + v * kWidth)
                       : load_cols(out + i * ldo + col + v * kWidth, valid - v * kWidth);
  tile_product<MR, NR>(acc, a, taps, Kin, w.data.data() + col, w.NP);
  for (int i = 0; i < MR; ++i)
    for (int v = 0; v < NR; ++v) store_cols(out + i * ldo + col + v * kWidth, acc[i][v], valid - v * kWidth);
}

template <int MR>
void row_tile(float* out, std::int64_t ldo, const float* const* a, std::int64_t taps, std::int64_t Kin,
              const PackedRows& w, const float* bias) {
  std::int64_t col = 0;
  for (; col + 2 * kWidth <= w.NP; col += 2 * kWidth) column_tile<MR, 2>(out, ldo, col, a, taps, Kin, w, bias);
  for (; col < w.NP; col += kWidth) column_tile<MR, 1>(out, ldo, col, a, taps, Kin, w, bias);
}

// acc[i][v] = (zero ? 0 : part) + sum_{u < n} e[u][c0 + i] * g[u][o0 + v*kWidth..]: one tile of a sum
// of outer products, e: n rows of stride lde, g: n rows of NP.
template <int MR, int NR>
void outer_tile(float* part, std::int64_t NP, bool zero, const float* e, std::int64_t lde, std::int64_t c0,
                const float* g, std::int64_t o0, std::int64_t n) {
  Batch acc[MR][NR];
  for (int i = 0; i < MR; ++i)
    for (int v = 0; v < NR; ++v) acc[i][v] = zero ? Batch(0.0f) : Batch::load_aligned(part + i * NP + o0 + v * kWidth);
  for (std::int64_t u = 0; u < n; ++u) {
    const float* er = e + u * lde + c0;
    const float* gr = g + u * NP + o0;
    Batch b[NR];
    for (int v = 0; v < NR; ++v) b[v] = Batch::load_aligned(gr + v * kWidth);
    for (int i = 0; i < MR; ++i) {
      const Batch ei(er[i]);
      for (int v = 0; v < NR; ++v) acc[i][v] = xsimd::fma(ei, b[v], acc[i][v]);
    }
  }
  for (int i = 0; i < MR; ++i)
    for (int v = 0; v < NR; ++v) acc[i][v].store_aligned(part + i * NP + o0 + v * kWidth);
}

template <int MR>
void outer_rows(float* part, std::int64_t NP, bool zero, const float* e, std::int64_t lde, std::int64_t c0,
                const float* g, std::int64_t n) {
  std::int64_t o0 = 0;
  for (; o0 + 2 * kWidth <= NP; o0 += 2 * kWidth) outer_tile<MR, 2>(part, NP, zero, e, lde, c0, g, o0, n);
  for (; o0 < NP; o0 += kWidth) outer_tile<MR, 1>(part, NP, zero, e, lde, c0, g, o0, n);
}

}  // namespace

PackedRows::PackedRows(const float* b, std::int64_t K_, std::int64_t N_, std::int64_t ldb, bool transpose)
    : data(static_cast<size_t>(K_ * padded_width(N_)), 0.0f), K(K_), N(N_), NP(padded_width(N_)) {
  for (std::int64_t k = 0; k < K; ++k)
    for (std::int64_t n = 0; n < N; ++n) data[size_t(k * NP + n)] = transpose ? b[n * ldb + k] : b[k * ldb + n];
}

std::vector<float, xsimd::aligned_allocator<float, 64>> padded_vector(const float* v, std::int64_t n) {
  std::vector<float, xsimd::aligned_allocator<float, 64>> p(static_cast<size_t>(padded_width(n)), 0.0f);
  std::copy_n(v, n, p.data());
  return p;
}

void tile_rows(int rows, float* out, std::int64_t ldo, const float* const* a, std::int64_t taps, std::int64_t Kin,
               const PackedRows& w, const float* bias) {
  switch (rows) {
    case 1: return row_tile<1>(out, ldo, a, taps, Kin, w, bias);
    case 2: return row_tile<2>(out, ldo, a, taps, Kin, w, bias);
    case 3: return row_tile<3>(out, ldo, a, taps, Kin, w, bias);
    case 4: return row_tile<4>(out, ldo, a, taps, Kin, w, bias);
    case 5: return row_tile<5>(out, ldo, a, taps, Kin, w, bias);
    default: return row_tile<kTileRows>(out, ldo, a, taps, Kin, w, bias);
  }
}

void outer_product_sum(float* part, std::int64_t NP, bool zero, const float* e, std::int64_t lde, std::int64_t C,
                       const float* g, std::int64_t n) {
  for (std::int64_t c0 = 0; c0 < C; c0 += kTileRows) {
    float* p = part + c0 * NP;
    switch (std::min<std::int64_t>(kTileRows, C - c0)) {
      case 1: outer_rows<1>(p, NP, zero, e, lde, c0, g, n); break;
      case 2: outer_rows<2>(p, NP, zero, e, lde, c0, g, n); break;
      case 3: outer_rows<3>(p, NP, zero, e, lde, c0, g, n); break;
      case 4: outer_rows<4>(p, NP, zero, e, lde, c0, g, n); break;
      case 5: outer_rows<5>(p, NP, zero, e, lde, c0, g, n); break;
      default: outer_rows<kTileRows>(p, NP, zero, e, lde, c0, g, n);
    }
  }
}

void rows_times_packed_ref(float* out, std::int64_t ldo, const float* a, std::int64_t lda, std::int64_t M,
                           const PackedRows& w, const float* bias) {
  for (std::int64_t m = 0; m < M; ++m)
    for (std::int64_t n = 0; n < w.N; ++n) {
      double s = bias ? bias[n] : out[m * ldo + n];
      for (std::int64_t k = 0; k < w.K; ++k) s += double(a[m * lda + k]) * w.row(k)[n];
      out[m * ldo + n] = float(s);
    }
}

void rows_times_packed(float* out, std::int64_t ldo, const float* a, std::int64_t lda, std::int64_t M,
                       const PackedRows& w, const float* bias) {
  const float* rows[kTileRows];
  for (std::int64_t m0 = 0; m0 < M; m0 += kTileRows) {
    const int n = int(std::min<std::int64_t>(kTileRows, M - m0));
    for (int i = 0; i < n; ++i) rows[i] = a + (m0 + i) * lda;
    tile_rows(n, out + m0 * ldo, ldo, rows, 1, w.K, w, bias);
  }
}

}  // namespace l2::kernels
