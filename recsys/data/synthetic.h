// The embedded synthetic platform, so that the main job and the fast tests need no download. It
// mimics what Section 2 / Figure 1(a) of the paper reports: core users visit often and stay on a
// topic (strong interest continuity), casual users visit rarely and wander between topics. Items
// form topics, and inside a topic consumption follows a Markov chain (mostly "the next item of the
// topic"), so a sequential model can clearly beat popularity. Written with `data export --as FORMAT`.
//
// Note [Synthetic timeline]
// Core users' gaps are exponential with mean core_gap_days, capped at 29 days; casual users' gaps are
// casual_gap_days x U(0.6, 1.4), at least 30 days. So the paper's 30-day rule recovers the generator's
// groups exactly (a test checks it). Each timeline is placed so that the cutoff 2020-01-01 falls inside
// it: most users have 2 or 3 interactions after it (validation + test), a few 0 or 1 (exclusions).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "recsys/data/groups.h"
#include "recsys/data/raw_log.h"

namespace l2::recsys {

struct SyntheticConfig {
  std::int64_t users = 2000;
  std::int64_t items = 1000;
  std::int64_t topics = 20;
  double core_fraction = 0.3;
  std::uint64_t seed = 1;
  double core_continuity = 0.9;  // probability that a core user's next item stays in the topic
  double casual_continuity = 0.5;
  double core_gap_days = 3.0;  // mean gap between a core user's visits
  double casual_gap_days = 70.0;
  std::string describe() const;  // "synthetic:users=2000,items=1000,..." (every key)
};

inline constexpr std::string_view kSyntheticCutoffDate = "2020-01-01";

// "synthetic" or "synthetic:key=value,..." -> config. Throws l2::Error naming a bad key or value.
SyntheticConfig parse_synthetic_spec(std::string_view spec);
bool is_synthetic_spec(std::string_view data);

struct SyntheticData {
  RawLog log;                // name "synthetic"; users "1".."users", items "1".."items"
  std::vector<Group> truth;  // the generator's group of each user, by raw user index (user "k" at k-1)
};
SyntheticData generate_synthetic(const SyntheticConfig& config);

}  // namespace l2::recsys
