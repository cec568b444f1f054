// Ranking along the last axis: top-k per row and the rank of a target item, the two questions
// full-ranking evaluation asks (HR@K, NDCG@K over all items; L2Aug paper Section 5.1).
#pragma once

#include <cstdint>

namespace l2::kernels {

// The k largest scores of each row of [N, C], best first; equal scores go to the lower index.
// idx, val: [N, k] (k <= C).
void topk_rows(std::int32_t* idx, float* val, const float* scores, std::int64_t N, std::int64_t C, std::int64_t k);
void topk_rows_ref(std::int32_t* idx, float* val, const float* scores, std::int64_t N, std::int64_t C, std::int64_t k);

// 1-based rank of row[target]: 1 + #{c : s_c > s_t} + #{c != target : s_c == s_t}. Ties count against
// the target, so a constant model ranks every target last among its equals. A NaN target score
// ranks last (C). NaN scores of other items never count as higher.
std::int64_t rank_of_target(const float* row, std::int64_t C, std::int64_t target);
std::int64_t rank_of_target_ref(const float* row, std::int64_t C, std::int64_t target);
// ranks[n] = rank_of_target(scores + n*C, C, targets[n]), in parallel over rows.
void rank_of_targets(std::int64_t* ranks, const float* scores, const std::int32_t* targets, std::int64_t N,
                     std::int64_t C);

}  // namespace l2::kernels
