#include "recsys/data/groups.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "recsys/data/dates.h"
#include "recsys/data/text.h"
#include "tensor/check.h"

namespace l2::recsys {

const char* group_name(Group g) { return g == Group::core ? "core" : "casual"; }
const char* group_rule_name(GroupRule r) { return r == GroupRule::mean_gap ? "mean-gap" : "frequency"; }
const char* group_scope_name(GroupScope s) { return s == GroupScope::whole_history ? "all" : "train"; }

std::string GroupConfig::describe() const {
  std::string s = std::string("group=") + group_rule_name(rule) + ";scope=" + group_scope_name(scope);
  if (rule == GroupRule::mean_gap) return s + ";gap_days=" + format_number(gap_days);
  return s + ";core_fraction=" + format_number(core_fraction);
}

double mean_gap_days(std::span<const std::int64_t> times) {
  L2_CHECK(times.size() >= 2, "mean_gap_days: needs 2 interactions, got " << times.size());
  return double(times.back() - times.front()) / double(times.size() - 1) / double(kSecondsPerDay);
}

std::int64_t visiting_days(std::span<const std::int64_t> times) {
  std::int64_t days = 0, last = 0;
  for (size_t k = 0; k < times.size(); ++k) {
    const std::int64_t d = utc_day(times[k]);
    if (k == 0 || d != last) ++days;  // times are sorted, so equal days are adjacent
    last = d;
  }
  return days;
}

std::vector<Group> assign_groups(const Dataset& data, const GroupConfig& config,
                                 std::span<const std::int32_t> history_len) {
  const std::int32_t U = data.num_users();
  L2_CHECK(std::int64_t(history_len.size()) == std::int64_t(U) + 1,
           "assign_groups: " << history_len.size() << " history lengths for " << U << " users");
  std::vector<Group> group(size_t(U) + 1, Group::casual);
  if (config.rule == GroupRule::mean_gap) {
    L2_CHECK(config.gap_days > 0.0, "group rule: the gap threshold must be positive, got " << config.gap_days);
    for (std::int32_t u = 1; u <= U; ++u) {
      const auto times = data.times_of(u).first(size_t(history_len[size_t(u)]));
      // Fewer than 2 interactions: no gap to measure; such a user has not visited regularly.
      if (times.size() >= 2 && mean_gap_days(times) < config.gap_days) group[size_t(u)] = Group::core;
    }
    return group;
  }
  L2_CHECK(config.core_fraction >= 0.0 && config.core_fraction <= 1.0,
           "group rule: the core fraction must be in [0, 1], got " << config.core_fraction);
  std::vector<std::int64_t> days(size_t(U) + 1, 0);
  for (std::int32_t u = 1; u <= U; ++u)
    days[size_t(u)] = visiting_days(data.times_of(u).first(size_t(history_len[size_t(u)])));
  std::vector<std::int32_t> order(static_cast<size_t>(U));
  std::iota(order.begin(), order.end(), 1);
  std::sort(order.begin(), order.end(), [&](std::int32_t a, std::int32_t b) {
    if (days[size_t(a)] != days[size_t(b)]) return days[size_t(a)] > days[size_t(b)];
    if (history_len[size_t(a)] != history_len[size_t(b)]) return history_len[size_t(a)] > history_len[size_t(b)];
    return a < b;
  });
  const auto n_core = static_cast<size_t>(std::llround(config.core_fraction * double(U)));
  for (size_t k = 0; k < n_core && k < order.size(); ++k) group[size_t(order[k])] = Group::core;
  return group;
}

}  // namespace l2::recsys
