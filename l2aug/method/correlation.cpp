#include "l2aug/method/correlation.h"

#include <algorithm>
#include <cmath>

#include "tensor/check.h"
#include "tensor/parallel.h"

namespace l2::method {

ItemCorrelation::ItemCorrelation(std::span<const std::span<const std::int32_t>> sequences, std::int32_t num_items,
                                 std::int32_t k)
    : num_items_(num_items), k_(k) {
  L2_CHECK(num_items > 0 && k > 0, "ItemCorrelation: need items and k > 0");
  const size_t V = size_t(num_items) + 1;
  // Each user's distinct items, and for each item its users (a CSR incidence matrix).
  std::vector<std::vector<std::int32_t>> user_items(sequences.size());
  std::vector<std::int64_t> item_count(V, 0);
  for (size_t u = 0; u < sequences.size(); ++u) {
    auto& items = user_items[u];
    items.assign(sequences[u].begin(), sequences[u].end());
    std::sort(items.begin(), items.end());
    items.erase(std::unique(items.begin(), items.end()), items.end());
    for (std::int32_t i : items) {
      L2_CHECK(i >= 1 && i <= num_items, "ItemCorrelation: item id " << i << " outside 1.." << num_items);
      ++item_count[size_t(i)];
    }
  }
  std::vector<std::int64_t> start(V + 1, 0);
  for (size_t i = 0; i < V; ++i) start[i + 1] = start[i] + item_count[i];
  std::vector<std::int32_t> item_users(static_cast<size_t>(start[V]));  // not size_t(...): a declaration to clang
  {
    std::vector<std::int64_t> cursor(start.begin(), start.end() - 1);
    for (size_t u = 0; u < user_items.size(); ++u)
      for (std::int32_t i : user_items[u]) item_users[size_t(cursor[size_t(i)]++)] = std::int32_t(u);
  }
  top_.assign(V * size_t(k), 0);
  scores_.assign(V * size_t(k), 0.0f);
  // Per item i: co-occurrence counts with every j through i's users (a dense counter per task,
  // cleared through the list of touched j), then the top k by corr(i, j). Items are independent,
  // so the result does not depend on the thread count.
  parallel_for(std::int64_t(V), 64, [&](std::int64_t i0, std::int64_t i1) {
    std::vector<std::int32_t> count(V, 0), touched;
    std::vector<std::pair<float, std::int32_t>> cand;
    for (std::int64_t i = std::max<std::int64_t>(i0, 1); i < i1; ++i) {
      touched.clear();
      for (std::int64_t p = start[size_t(i)]; p < start[size_t(i) + 1]; ++p)
        for (std::int32_t j : user_items[size_t(item_users[size_t(p)])]) {
          if (j == i) continue;
          if (count[size_t(j)]++ == 0) touched.push_back(j);
        }
      cand.clear();
      for (std::int32_t j : touched) {
        const double c = double(count[size_t(j)]) / std::sqrt(double(item_count[size_t(i)]) * double(item_count[size_t(j)]));
        cand.emplace_back(float(c), j);
        count[size_t(j)] = 0;
      }
      const size_t keep = std::min(cand.size(), size_t(k));
      std::partial_sort(cand.begin(), cand.begin() + std::ptrdiff_t(keep), cand.end(), [](const auto& a, const auto& b) {
        return a.first > b.first || (a.first == b.first && a.second < b.second);
      });
      for (size_t r = 0; r < keep; ++r) {
        top_[size_t(i) * size_t(k) + r] = cand[r].second;
        scores_[size_t(i) * size_t(k) + r] = cand[r].first;
      }
    }
  });
}

}  // namespace l2::method
