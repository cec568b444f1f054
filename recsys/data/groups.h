// Casual and core users (Section 3: U = U_casual ∪ U_core by activity level). Two rules:
//  (a) mean gap (Section 5.1, Appendix A.1): core when the mean time between consecutive
//      interactions is under a threshold (30 days), casual otherwise. By default over the user's
//      whole history, as the paper does (later timestamps, never later items); optionally over the
//      training part only, where fewer than 2 training interactions means casual.
//  (b) top fraction by visiting frequency (Section 5.3's online experiment: the top 30% are core),
//      frequency = distinct UTC calendar days with an interaction; ties by interaction count, then id.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "recsys/data/dataset.h"

namespace l2::recsys {

enum class Group : std::uint8_t { casual = 0, core = 1 };
const char* group_name(Group g);

enum class GroupRule { mean_gap, top_frequency };
enum class GroupScope { whole_history, training };
const char* group_rule_name(GroupRule r);    // "mean-gap", "frequency"
const char* group_scope_name(GroupScope s);  // "all", "train"

struct GroupConfig {
  GroupRule rule = GroupRule::mean_gap;
  GroupScope scope = GroupScope::whole_history;
  double gap_days = 30.0;      // rule (a): core iff mean gap < gap_days
  double core_fraction = 0.3;  // rule (b): the top fraction (rounded to nearest) of all users is core
  std::string describe() const;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(rule, scope, gap_days, core_fraction);
  }
};

// (last - first) / (n - 1) in days over time-sorted `times`; same-time gaps count as 0. Needs n >= 2.
double mean_gap_days(std::span<const std::int64_t> times);
// Distinct UTC calendar days among time-sorted `times`.
std::int64_t visiting_days(std::span<const std::int64_t> times);

// The group of every user 1..num_users (entry 0 is unused). history_len[u] is how many of u's
// first interactions the rule may look at: all of them for the whole history, the training part
// for GroupScope::training (the caller decides; see Split).
std::vector<Group> assign_groups(const Dataset& data, const GroupConfig& config,
                                 std::span<const std::int32_t> history_len);

}  // namespace l2::recsys
