// The cutoff T of the temporal split (Appendix A.1), per dataset. The paper's 2009-01-01 suits its
// Amazon categories but leaves almost no core test users on the shared Amazon data (23 in Beauty,
// 7 in Sports), so each dataset gets a default chosen by one rule (choose_cutoff), stored in a table
// so that results stay stable; datasets/README.md lists the table with the group sizes it gives.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "recsys/data/dataset.h"
#include "recsys/data/groups.h"

namespace l2::recsys {

struct ProtocolConfig;

struct DefaultCutoff {
  std::string_view dataset;  // the dataset key (DataSource::name)
  std::string_view date;     // YYYY-MM-DD, 00:00 UTC
  std::string_view why;
};
std::span<const DefaultCutoff> default_cutoffs();
const DefaultCutoff* find_default_cutoff(std::string_view dataset);
std::int64_t cutoff_time(const DefaultCutoff& c);

// One candidate cutoff and what it gives.
struct CutoffCandidate {
  std::int64_t time = 0;
  double train_fraction = 0.0;          // interactions before T / all
  std::int64_t validation[2] = {0, 0};  // per Group
  std::int64_t test[2] = {0, 0};
  std::int64_t meta_eligible = 0;  // casual users with >= 2 training interactions
};

// Every first day of a month (UTC) strictly inside the data's time span, evaluated.
std::vector<CutoffCandidate> scan_cutoffs(const Dataset& data, const GroupConfig& groups);

// The automatic rule: among the month starts that keep at least half of all interactions for
// training, the one with the most test users in the smaller group (groups with no user at all are
// ignored), the earliest on a tie. Evaluation needs both groups; the smaller one limits it.
std::int64_t choose_cutoff(const Dataset& data, const GroupConfig& groups);

struct ResolvedCutoff {
  std::int64_t time = 0;
  std::string origin;  // "default for 'beauty'", "auto", "given"
};
ResolvedCutoff resolve_cutoff(const Dataset& data, const ProtocolConfig& config);

}  // namespace l2::recsys
