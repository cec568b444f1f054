// Row gather (embedding lookup) and its backward, the row scatter-add.
// table: [V, C]   ids: [N], each in [0, V) (callers check)   out, dout: [N, C]
#pragma once

#include <cstdint>
#include <vector>

namespace l2::kernels {

// out[n, :] = table[ids[n], :]
void gather_rows(float* out, const float* table, const std::int32_t* ids, std::int64_t N, std::int64_t C);

// dtable[ids[n], :] += dout[n, :] for every n with ids[n] != skip_id (skip_id < 0 skips nothing).
// Rows are grouped by id (a counting sort) and the groups summed in parallel; within a group rows
// are added in order of n, so the result is the same bits as the sequential loop for any thread
// count. If `touched` is given it receives the distinct ids that were written, in increasing order.
void scatter_add_rows(float* dtable, const float* dout, const std::int32_t* ids, std::int64_t N, std::int64_t C,
                      std::int64_t V, std::int32_t skip_id, std::vector<std::int32_t>* touched);
void scatter_add_rows_ref(float* dtable, const float* dout, const std::int32_t* ids, std::int64_t N, std::int64_t C,
                          std::int32_t skip_id);

}  // namespace l2::kernels
