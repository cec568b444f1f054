#include "recsys/data/cutoffs.h"

#include <algorithm>

#include "recsys/data/dates.h"
#include "recsys/data/split.h"
#include "tensor/check.h"

namespace l2::recsys {

namespace {

// The defaults. Each entry is what choose_cutoff picks on the shared copy of the dataset under
// the default protocol (whole-history 30-day rule); tests/recsys/test_real_data.cpp checks that.
// Group sizes per cutoff: datasets/README.md, or `l2aug data stats <data> --scan-cutoffs`.
constexpr DefaultCutoff kDefaults[] = {
    {"ml-100k", "1998-01-01",
     "most test users (135 core; ML-100K has no casual user under the 30-day rule) with 53% of ratings for training"},
    {"beauty", "2014-02-01",
     "most core test users (1,144, vs 23 at the paper's 2009-01-01) with 75% of interactions for training"},
    {"sports", "2014-01-01",
     "most core test users (1,761, vs 7 at the paper's 2009-01-01) with 74% of interactions for training"},
    {"yelp", "2019-07-01",
     "most casual test users (8,091, the smaller group) among cutoffs keeping >= 50% of interactions for training"},
    {"synthetic", "2020-01-01", "the generator places every user's timeline around this date (synthetic.h)"},
};

}  // namespace

std::span<const DefaultCutoff> default_cutoffs() { return kDefaults; }

const DefaultCutoff* find_default_cutoff(std::string_view dataset) {
  for (const DefaultCutoff& c : kDefaults)
    if (c.dataset == dataset) return &c;
  return nullptr;
}

std::int64_t cutoff_time(const DefaultCutoff& c) {
  std::int64_t t = 0;
  L2_CHECK(parse_iso_datetime(c.date, t), "default cutoff table: bad date '" << c.date << "'");
  return t;
}

std::vector<CutoffCandidate> scan_cutoffs(const Dataset& data, const GroupConfig& groups) {
  std::vector<CutoffCandidate> out;
  const std::int32_t U = data.num_users();
  std::vector<std::int32_t> full(size_t(U) + 1, 0);
  for (std::int32_t u = 1; u <= U; ++u) full[size_t(u)] = std::int32_t(data.length(u));
  std::vector<Group> group;
  if (groups.scope == GroupScope::whole_history) group = assign_groups(data, groups, full);  // independent of T
  for (std::int64_t T = next_month_start(data.min_time()); T <= data.max_time(); T = next_month_start(T)) {
    const auto train = temporal_train_lengths(data, T);
    if (groups.scope == GroupScope::training) group = assign_groups(data, groups, train);
    CutoffCandidate c;
    c.time = T;
    std::int64_t before = 0;
    for (std::int32_t u = 1; u <= U; ++u) {
      const std::int32_t tr = train[size_t(u)], post = full[size_t(u)] - tr;
      const auto g = size_t(group[size_t(u)]);
      before += tr;
      if (tr >= 1 && post >= 1) ++c.validation[g];
      if (tr >= 1 && post >= 2) ++c.test[g];
      if (group[size_t(u)] == Group::casual && tr >= 2) ++c.meta_eligible;
    }
    c.train_fraction = double(before) / double(data.num_interactions());
    out.push_back(c);
  }
  return out;
}

std::int64_t choose_cutoff(const Dataset& data, const GroupConfig& groups) {
  const auto candidates = scan_cutoffs(data, groups);
  // Which groups exist at all, judged on the whole history so that the answer does not depend on T.
  std::vector<std::int32_t> full(size_t(data.num_users()) + 1, 0);
  for (std::int32_t u = 1; u <= data.num_users(); ++u) full[size_t(u)] = std::int32_t(data.length(u));
  GroupConfig whole = groups;
  whole.scope = GroupScope::whole_history;
  const auto group = assign_groups(data, whole, full);
  bool present[2] = {false, false};
  for (std::int32_t u = 1; u <= data.num_users(); ++u) present[size_t(group[size_t(u)])] = true;
  const CutoffCandidate* best = nullptr;
  std::int64_t best_score = -1;
  for (const CutoffCandidate& c : candidates) {
    if (c.train_fraction < 0.5) continue;
    std::int64_t score = -1;
    for (int g = 0; g < 2; ++g)
      if (present[g]) score = score < 0 ? c.test[g] : std::min(score, c.test[g]);
    if (score > best_score) best_score = score, best = &c;
  }
  L2_CHECK(best, data.source() << ": no month start keeps half of the interactions for training and leaves test "
                                  "users (time span "
                               << format_date(data.min_time()) << " .. " << format_date(data.max_time())
                               << "); give --cutoff or use --split loo");
  return best->time;
}

ResolvedCutoff resolve_cutoff(const Dataset& data, const ProtocolConfig& config) {
  switch (config.cutoff.kind) {
    case CutoffChoice::Kind::fixed:
      return {config.cutoff.time, "given"};
    case CutoffChoice::Kind::automatic:
      return {choose_cutoff(data, config.groups), "auto"};
    case CutoffChoice::Kind::table_default:
      if (const DefaultCutoff* c = find_default_cutoff(data.name()))
        return {cutoff_time(*c), "default for '" + std::string(c->dataset) + "'"};
      return {choose_cutoff(data, config.groups), "auto (no default for '" + data.name() + "')"};
  }
  L2_FAIL("resolve_cutoff: unknown kind");
}

}  // namespace l2::recsys
