#include "tensor/kernels/topk.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "tensor/parallel.h"
#include "tensor/simd.h"

namespace l2::kernels {

namespace {
// Strict order "a ranks before b": higher score, or equal score and lower index. NaN ranks last.
inline bool before(float sa, std::int32_t a, float sb, std::int32_t b) {
  if (std::isnan(sb)) return !std::isnan(sa) || a < b;
  if (std::isnan(sa)) return false;
  return sa > sb || (sa == sb && a < b);
}
}  // namespace

void topk_rows_ref(std::int32_t* idx, float* val, const float* scores, std::int64_t N, std::int64_t C, std::int64_t k) {
  std::vector<std::int32_t> order(static_cast<size_t>(C));
  for (std::int64_t n = 0; n < N; ++n) {
    const float* s = scores + n * C;
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::int32_t a, std::int32_t b) { return before(s[a], a, s[b], b); });
    for (std::int64_t j = 0; j < k; ++j) {
      idx[n * k + j] = order[size_t(j)];
      val[n * k + j] = s[order[size_t(j)]];
    }
  }
}

void topk_rows(std::int32_t* idx, float* val, const float* scores, std::int64_t N, std::int64_t C, std::int64_t k) {
  parallel_for(N, std::max<std::int64_t>(1, row_block(C) / 4), [&](std::int64_t n0, std::int64_t n1) {
    for (std::int64_t n = n0; n < n1; ++n) {
      const float* s = scores + n * C;
      std::int32_t* bi = idx + n * k;
      float* bv = val + n * k;
      // Insertion into a sorted list of the best k so far; most candidates fail the first test.
      std::int64_t size = 0;
      for (std::int64_t c = 0; c < C; ++c) {
        const float x = s[c];
        if (size == k && !before(x, std::int32_t(c), bv[k - 1], bi[k - 1])) continue;
        std::int64_t pos = size < k ? size++ : k - 1;
        while (pos > 0 && before(x, std::int32_t(c), bv[pos - 1], bi[pos - 1])) {
          bv[pos] = bv[pos - 1];
          bi[pos] = bi[pos - 1];
          --pos;
        }
        bv[pos] = x;
        bi[pos] = std::int32_t(c);
      }
    }
  });
}

std::int64_t rank_of_target_ref(const float* row, std::int64_t C, std::int64_t target) {
  const float t = row[target];
  if (std::isnan(t)) return C;
  std::int64_t rank = 1;
  for (std::int64_t c = 0; c < C; ++c)
    if (c != target && row[c] >= t) ++rank;
  return rank;
}

std::int64_t rank_of_target(const float* row, std::int64_t C, std::int64_t target) {
  const float t = row[target];
  if (std::isnan(t)) return C;
  // Count s_c >= t over all c (the target itself counts once, giving the 1 of the 1-based rank).
  const Batch vt(t);
  std::int64_t count = 0, c = 0;
  xsimd::batch<float> ones(1.0f), acc(0.0f);
  for (; c + kWidth <= C; c += kWidth) acc += xsimd::select(load(row + c) >= vt, ones, Batch(0.0f));
  count = std::int64_t(hsum(acc));  // exact: each lane counts at most C/kWidth < 2^24
  for (; c < C; ++c) count += row[c] >= t;
  return count;
}

void rank_of_targets(std::int64_t* ranks, const float* scores, const std::int32_t* targets, std::int64_t N,
                     std::int64_t C) {
  parallel_for(N, std::max<std::int64_t>(1, row_block(C)), [&](std::int64_t n0, std::int64_t n1) {
    for (std::int64_t n = n0; n < n1; ++n) ranks[n] = rank_of_target(scores + n * C, C, targets[n]);
  });
}

}  // namespace l2::kernels
