// Register-tiled products for kernels that multiply many rows by one small matrix from inside
// their own tasks: the direct causal convolution (conv1d.cpp) and the GRU recurrence (gru.cpp).
// The right-hand matrix is packed once (PackedRows: rows of NP floats, NP = the columns rounded up
// to the vector width, zero beyond them); a tile of kTileRows output rows by one or two vectors of
// columns then stays in registers while the product runs over all its terms, broadcasting one
// left-hand value per row and loading one vector of the packed matrix per term. OpenBLAS would
// pack the small matrix again on every call, which for a few dozen rows costs as much as the
// product (measured on the GRU recurrence). One thread per call; every output is one tile's sum in
// a fixed order (the bias or the current value, then the terms in order), so the result does not
// depend on how rows are grouped into calls or tasks (Note [Determinism] in tensor/parallel.h).
#pragma once

#include <cstdint>
#include <vector>

#include "tensor/simd.h"

namespace l2::kernels {

inline constexpr int kTileRows = 6;  // 6 rows x 2 vectors = 12 accumulators (AVX2 has 16 registers)

inline std::int64_t padded_width(std::int64_t n) { return (n + kWidth - 1) / kWidth * kWidth; }

// b [K, N] (row stride ldb), or its transpose when `transpose` (b is then [N, K]), as K rows of NP.
struct PackedRows {
  std::vector<float, xsimd::aligned_allocator<float, 64>> data;
  std::int64_t K = 0, N = 0, NP = 0;
  PackedRows() = default;
  PackedRows(const float* b, std::int64_t K, std::int64_t N, std::int64_t ldb, bool transpose);
  const float* row(std::int64_t k) const { return data.data() + k * NP; }
};

// NP values: v[0, n) then zeros.
std::vector<float, xsimd::aligned_allocator<float, 64>> padded_vector(const float* v, std::int64_t n);

// Rows [0, rows) (rows <= kTileRows) of out (row stride ldo, N = w.N columns):
//   out[i] = init_i + sum_j sum_k a[j*rows + i][k] * w.row(j*Kin + k)
// over `taps` groups of Kin terms (w.K == taps * Kin); a holds one row pointer per tap and row
// (a tap whose row lies outside the input points at zeros). init_i is `bias` (NP values) when
// given, else out's current row (accumulate).
void tile_rows(int rows, float* out, std::int64_t ldo, const float* const* a, std::int64_t taps, std::int64_t Kin,
               const PackedRows& w, const float* bias);

// part[c] = (zero ? 0 : part[c]) + sum_{u < n} e[u][c] g[u] for c in [0, C): a [C, NP] sum of n
// outer products (a weight gradient), tiled the other way: kTileRows values of c by one or two
// vectors of g stay in registers over all n terms. e: n rows of stride lde; g: n rows of NP floats,
// 64-byte aligned (columns beyond the real ones zero); part: C rows of NP, aligned.
void outer_product_sum(float* part, std::int64_t NP, bool zero, const float* e, std::int64_t lde, std::int64_t C,
                       const float* g, std::int64_t n);

// out[m] (+)= a[m] * w for M rows of a (row stride lda): tile_rows over tiles of kTileRows rows.
void rows_times_packed(float* out, std::int64_t ldo, const float* a, std::int64_t lda, std::int64_t M,
                       const PackedRows& w, const float* bias);
// The naive loop (double accumulator) the tests compare against.
void rows_times_packed_ref(float* out, std::int64_t ldo, const float* a, std::int64_t lda, std::int64_t M,
                           const PackedRows& w, const float* bias);

}  // namespace l2::kernels
