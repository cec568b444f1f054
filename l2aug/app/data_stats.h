// `l2aug data stats`: the paper's Table 1 (#items, #casual users, #core users, avg #interactions)
// for a processed dataset, plus what decides the casual/core comparison: split counts per group and
// why users were left out, sequence lengths and mean gaps per group, ids first seen after the
// cutoff, and interest continuity (Figure 1(a)). As text for people and JSON for scripts.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "recsys/data/continuity.h"
#include "recsys/data/cutoffs.h"
#include "recsys/data/split.h"

namespace l2::app {

// Summary of a list of numbers; quantiles interpolate linearly between order statistics (as numpy).
struct Distribution {
  std::int64_t count = 0;
  double mean = 0, min = 0, p10 = 0, p25 = 0, p50 = 0, p75 = 0, p90 = 0, max = 0;
};
Distribution summarize(std::vector<double> values);

// Users per length bucket: 1, 2-4, 5-9, 10-19, 20-49, 50-99, 100-199, 200+.
inline constexpr int kLengthBuckets = 8;
const char* length_bucket_name(int b);
int length_bucket(std::int64_t n);

struct GroupStats {
  recsys::GroupCounts counts;
  std::int64_t interactions = 0;
  Distribution length;         // interactions per user, whole history
  Distribution train_length;   // training part per user
  Distribution mean_gap_days;  // users with >= 2 interactions, whole history
  std::array<std::int64_t, kLengthBuckets> length_histogram{};
  recsys::Continuity continuity;
};

struct DataStats {
  std::string name, source, fingerprint, dataset_settings, protocol;
  std::int32_t num_users = 0, num_items = 0;
  std::int64_t num_interactions = 0, min_time = 0, max_time = 0;
  recsys::LoadReport load;
  recsys::PreprocessReport preprocess;
  bool temporal = true;
  std::int64_t cutoff = 0;
  std::string cutoff_origin;
  std::array<GroupStats, 2> group;  // by recsys::Group: 0 casual, 1 core
  // Ids first seen at or after the cutoff (temporal split). Ids cover the whole dataset, so such
  // items stay ranking candidates and their users stay evaluated; these counts say how many.
  std::int64_t new_items = 0, new_item_interactions = 0;
  std::int64_t new_users = 0;                                           // users with no training interaction
  std::int64_t validation_targets_unseen = 0, test_targets_unseen = 0;  // targets never in any training part
  // Filled by the caller when wanted, printed when present.
  std::string cache;                         // cache status, e.g. "hit (/root/.cache/l2aug/...)"
  std::vector<recsys::CutoffCandidate> cutoff_scan;  // scan_cutoffs() result
};

DataStats compute_stats(const recsys::Split& split);
std::string stats_text(const DataStats& s);
// One JSON object; `build_facts` (a JSON object, e.g. build_facts_json()) is stored under "build".
std::string stats_json(const DataStats& s, const std::string& build_facts);

// The cutoff scan of cutoffs.h as a text table or a JSON array.
std::string cutoff_scan_text(const std::vector<recsys::CutoffCandidate>& scan);
std::string cutoff_scan_json(const std::vector<recsys::CutoffCandidate>& scan);

}  // namespace l2::app
