#include "l2aug/app/continuity_study.h"

#include <algorithm>
#include <cmath>

#include "l2aug/method/reinforce.h"
#include "recsys/data/batch.h"

namespace l2::app {

namespace {

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

double sequence_continuity(std::span<const std::int32_t> s, std::int32_t user, const ItemUsers& iu) {
  if (s.size() < 2) return NAN;
  double sum = 0.0;
  for (size_t k = 1; k < s.size(); ++k) sum += iu.similarity(s[k - 1], s[k], user);
  return sum / double(s.size() - 1);
}

}  // namespace

nlohmann::json continuity_study(const recsys::Split& split, const method::Augmentor& policy, const method::ItemCorrelation& correlation,
                                std::uint64_t seed, int bins) {
  const std::vector<recsys::SequenceRef> seqs = recsys::recommender_training_sequences(split);
  const ItemUsers iu(seqs, split.num_items());
  std::vector<double> casual, core, augmented;
  std::vector<std::span<const std::int32_t>> core_spans;
  std::vector<std::int32_t> core_users;
  for (const recsys::SequenceRef& s : seqs) {
    const double c = sequence_continuity(s.items, s.user, iu);
    if (split.group(s.user) == recsys::Group::core) {
      core.push_back(c);
      core_spans.push_back(s.items);
      core_users.push_back(s.user);
    } else {
      casual.push_back(c);
    }
  }
  // The policy's edits of every core sequence (sampled, as in training), in chunks.
  for (size_t begin = 0; begin < core_spans.size(); begin += 512) {
    const size_t end = std::min(core_spans.size(), begin + 512);
    const std::span<const std::span<const std::int32_t>> chunk(core_spans.data() + begin, end - begin);
    const method::PolicyStep step = run_policy(policy, chunk, &correlation, false, seed, 0xC0 + begin, false);
    for (size_t r = 0; r < chunk.size(); ++r)
      augmented.push_back(sequence_continuity(step.augmented[r].items, core_users[begin + r], iu));
  }
  nlohmann::json out = {{"similarity", "co-occurrence cosine over training sequences, leaving out the pair's user"},
                        {"bins", bins}};
  std::vector<double> edges;
  for (int b = 0; b <= bins; ++b) edges.push_back(double(b) / bins);
  out["edges"] = edges;
  for (const auto& [name, values] : {std::pair{"casual", &casual}, std::pair{"core", &core}, std::pair{"augmented", &augmented}}) {
    std::vector<std::int64_t> hist(size_t(bins), 0);
    double sum = 0.0;
    std::int64_t n = 0;
    for (double v : *values) {
      if (!std::isfinite(v)) continue;
      hist[size_t(std::clamp(int(v * bins), 0, bins - 1))]++;
      sum += v;
      ++n;
    }
    out[name] = {{"sequences", n}, {"mean", n ? sum / double(n) : 0.0}, {"histogram", hist}};
  }
  return out;
}

}  // namespace l2::app
