#include "l2aug/app/continuity_study.h"

#include <algorithm>
#include <cmath>

#include "l2aug/app/item_users.h"
#include "l2aug/method/reinforce.h"
#include "recsys/data/batch.h"

namespace l2::app {

namespace {

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
