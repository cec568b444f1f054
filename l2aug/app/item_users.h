// Each item's users, for the co-occurrence similarity of two items (Note [Co-occurrence
// similarity] in recsys/data/continuity.h) in the continuity study and the policy profile.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "recsys/data/batch.h"

namespace l2::app {

// Each item's users (sorted), over the recommender's training sequences.
class ItemUsers {
 public:
  ItemUsers(const std::vector<recsys::SequenceRef>& seqs, std::int32_t num_items) : users_(size_t(num_items) + 1) {
    for (const recsys::SequenceRef& s : seqs)
      for (std::int32_t i : s.items) users_[size_t(i)].push_back(s.user);
    for (auto& u : users_) {
      std::sort(u.begin(), u.end());
      u.erase(std::unique(u.begin(), u.end()), u.end());
    }
  }
  // (|U_i ∩ U_j| - [u in both]) / sqrt((|U_i| - [u in U_i]) (|U_j| - [u in U_j])), 0 if undefined.
  double similarity(std::int32_t i, std::int32_t j, std::int32_t user) const {
    const auto& a = users_[size_t(i)];
    const auto& b = users_[size_t(j)];
    std::int64_t common = 0;
    for (size_t p = 0, q = 0; p < a.size() && q < b.size();) {
      if (a[p] < b[q]) ++p;
      else if (b[q] < a[p]) ++q;
      else ++common, ++p, ++q;
    }
    const bool in_a = std::binary_search(a.begin(), a.end(), user), in_b = std::binary_search(b.begin(), b.end(), user);
    const double na = double(a.size()) - in_a, nb = double(b.size()) - in_b;
    if (na <= 0 || nb <= 0) return 0.0;
    return (double(common) - double(in_a && in_b)) / std::sqrt(na * nb);
  }

 private:
  std::vector<std::vector<std::int32_t>> users_;
};

}  // namespace l2::app
