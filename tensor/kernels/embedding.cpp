#include "tensor/kernels/embedding.h"

#include <cstring>

#include "tensor/parallel.h"
#include "tensor/simd.h"

namespace l2::kernels {

void gather_rows(float* out, const float* table, const std::int32_t* ids, std::int64_t N, std::int64_t C) {
  parallel_for(N, row_block(C), [&](std::int64_t n0, std::int64_t n1) {
    for (std::int64_t n = n0; n < n1; ++n) {
      if (n + 1 < n1) prefetch_row(table + std::int64_t(ids[n + 1]) * C, C);
      std::memcpy(out + n * C, table + std::int64_t(ids[n]) * C, sizeof(float) * C);
    }
  });
}

void scatter_add_rows_ref(float* dtable, const float* dout, const std::int32_t* ids, std::int64_t N, std::int64_t C,
                          std::int32_t skip_id) {
  for (std::int64_t n = 0; n < N; ++n) {
    if (ids[n] == skip_id) continue;
    for (std::int64_t c = 0; c < C; ++c) dtable[std::int64_t(ids[n]) * C + c] += dout[n * C + c];
  }
}

void scatter_add_rows(float* dtable, const float* dout, const std::int32_t* ids, std::int64_t N, std::int64_t C,
                      std::int64_t V, std::int32_t skip_id, std::vector<std::int32_t>* touched) {
  // Counting sort of the positions n by id (stable: positions stay in increasing order per id).
  std::vector<std::int64_t> start(static_cast<size_t>(V + 1), 0);
  for (std::int64_t n = 0; n < N; ++n)
    if (ids[n] != skip_id) ++start[size_t(ids[n]) + 1];
  for (std::int64_t v = 0; v < V; ++v) start[size_t(v + 1)] += start[size_t(v)];
  std::vector<std::int64_t> order(static_cast<size_t>(start[static_cast<size_t>(V)]));
  {
    std::vector<std::int64_t> cursor(start.begin(), start.end() - 1);
    for (std::int64_t n = 0; n < N; ++n)
      if (ids[n] != skip_id) order[size_t(cursor[size_t(ids[n])]++)] = n;
  }
  std::vector<std::int32_t> distinct;
  for (std::int64_t v = 0; v < V; ++v)
    if (start[size_t(v + 1)] > start[size_t(v)]) distinct.push_back(std::int32_t(v));

  parallel_for(std::int64_t(distinct.size()), row_block(C * 4), [&](std::int64_t k0, std::int64_t k1) {
    for (std::int64_t k = k0; k < k1; ++k) {
      const std::int32_t v = distinct[size_t(k)];
      float* d = dtable + std::int64_t(v) * C;
      if (k + 1 < k1) prefetch_row(dtable + std::int64_t(distinct[size_t(k + 1)]) * C, C);
      for (std::int64_t p = start[size_t(v)]; p < start[size_t(v) + 1]; ++p) {
        if (p + 1 < start[size_t(V)]) prefetch_row(dout + order[size_t(p + 1)] * C, C);
        const float* g = dout + order[size_t(p)] * C;
        std::int64_t c = 0;
        for (; c + kWidth <= C; c += kWidth) store(d + c, load(d + c) + load(g + c));
        for (; c < C; ++c) d[c] += g[c];
      }
    }
  });
  if (touched) *touched = std::move(distinct);
}

}  // namespace l2::kernels
