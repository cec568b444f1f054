// Item correlation for the substitute and insert actions (Section 5.3.1): the inverse user
// frequency correlation of Breese et al. / Sarwar et al.,
//   corr(i, j) = |N(i) ∩ N(j)| / sqrt(|N(i)| |N(j)|),  N(i) = the users who interacted with i,
// computed once from training interactions only (the recommender-training sequences, so neither
// validation, test nor meta targets leak in). Only each item's best partners are kept: a sparse
// table of the top `k` most correlated other items, ties going to the lower id.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace l2::method {

class ItemCorrelation {
 public:
  ItemCorrelation() = default;
  // sequences: each user's training items (ids 1..num_items); repeats within a user count once.
  ItemCorrelation(std::span<const std::span<const std::int32_t>> sequences, std::int32_t num_items, std::int32_t k = 5);

  // The most correlated other item of i, or 0 when i shares no user with any other item.
  std::int32_t most_correlated(std::int32_t i) const { return top_.empty() ? 0 : top_[size_t(i) * size_t(k_)]; }
  // Up to k partners of i, best first (0 entries mark the end).
  std::span<const std::int32_t> partners(std::int32_t i) const { return {top_.data() + size_t(i) * size_t(k_), size_t(k_)}; }
  float score(std::int32_t i, std::int32_t rank) const { return scores_[size_t(i) * size_t(k_) + size_t(rank)]; }
  std::int32_t num_items() const { return num_items_; }

 private:
  std::int32_t num_items_ = 0, k_ = 0;
  std::vector<std::int32_t> top_;  // [num_items + 1, k]
  std::vector<float> scores_;      // [num_items + 1, k]
};

}  // namespace l2::method
