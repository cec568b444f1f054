#include "recsys/data/continuity.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace l2::recsys {

std::array<Continuity, 2> interest_continuity(const Split& split) {
  const std::int32_t U = split.num_users(), I = split.num_items();
  // Users of each item (ascending, each user once): the incidence vectors as sorted lists.
  std::vector<std::vector<std::int32_t>> users_of(size_t(I) + 1);
  for (std::int32_t u = 1; u <= U; ++u)
    for (std::int32_t i : split.train_sequence(u))
      if (users_of[size_t(i)].empty() || users_of[size_t(i)].back() != u) users_of[size_t(i)].push_back(u);
  for (auto& v : users_of) {  // a user who repeats an item out of order was appended twice
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
  }
  // |U_a ∩ U_b|: a merge of the two sorted lists, or binary searches of the shorter list in the
  // longer one when their sizes differ a lot (a popular item against a rare one).
  auto common = [&](std::int32_t a, std::int32_t b) {
    const auto* x = &users_of[size_t(a)];
    const auto* y = &users_of[size_t(b)];
    if (x->size() > y->size()) std::swap(x, y);
    std::int64_t n = 0;
    if (x->size() * 16 < y->size()) {
      for (std::int32_t u : *x) n += std::binary_search(y->begin(), y->end(), u);
      return n;
    }
    for (size_t p = 0, q = 0; p < x->size() && q < y->size();) {
      if ((*x)[p] < (*y)[q])
        ++p;
      else if ((*y)[q] < (*x)[p])
        ++q;
      else
        ++n, ++p, ++q;
    }
    return n;
  };
  std::array<double, 2> sum{0.0, 0.0};
  std::array<Continuity, 2> out{};
  for (std::int32_t u = 1; u <= U; ++u) {
    const auto s = split.train_sequence(u);
    const auto g = size_t(split.group(u));
    for (size_t k = 1; k < s.size(); ++k) {
      const std::int32_t a = s[k - 1], b = s[k];
      const double na = double(users_of[size_t(a)].size()) - 1.0, nb = double(users_of[size_t(b)].size()) - 1.0;
      double sim = 0.0;
      if (a == b)
        sim = 1.0;
      else if (na > 0.0 && nb > 0.0)
        sim = double(common(a, b) - 1) / std::sqrt(na * nb);
      sum[g] += sim;
      ++out[g].pairs;
    }
  }
  for (size_t g = 0; g < 2; ++g) out[g].mean = out[g].pairs > 0 ? sum[g] / double(out[g].pairs) : 0.0;
  return out;
}

}  // namespace l2::recsys
