// Dataset: every user's interactions as a time-ordered sequence over dense ids (Section 3 and
// Appendix A.1: "we group the interactions by users and then sort them based on their timestamps").
// Users and items get ids 1..N in raw-id order (numeric ids numerically); 0 is the padding id of
// every sequence tensor. Ids cover the whole dataset, so an item first seen after the cutoff is
// still a ranking candidate. Optional preprocessing: dropping repeated (user, item) pairs, k-core.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "recsys/data/raw_log.h"

namespace l2::recsys {

enum class DuplicatePolicy {
  keep,          // every interaction is kept (repeat visits are real behaviour, e.g. Yelp)
  drop_repeats,  // a repeated (user, item) pair keeps only its first interaction in time order
};
const char* duplicate_policy_name(DuplicatePolicy p);

struct DatasetConfig {
  DuplicatePolicy duplicates = DuplicatePolicy::keep;
  // k-core filter: repeatedly drop users and items with fewer than k interactions until none is
  // left (0 or 1 = off). Applied after the duplicate policy.
  int kcore = 0;
  std::string describe() const;
};

// What preprocessing removed, for the stats report.
struct PreprocessReport {
  std::int64_t duplicates_dropped = 0;
  std::int64_t kcore_rounds = 0, kcore_users_removed = 0, kcore_items_removed = 0, kcore_rows_removed = 0;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(duplicates_dropped, kcore_rounds, kcore_users_removed, kcore_items_removed, kcore_rows_removed);
  }
};

class Dataset {
 public:
  Dataset() = default;

  const std::string& name() const { return name_; }
  const std::string& source() const { return source_; }
  std::uint64_t fingerprint() const { return fingerprint_; }  // hash of the input bytes + settings

  std::int32_t num_users() const { return static_cast<std::int32_t>(user_names_.size()) - 1; }  // ids 1..num_users
  std::int32_t num_items() const { return static_cast<std::int32_t>(item_names_.size()) - 1; }  // ids 1..num_items
  std::int64_t num_interactions() const { return static_cast<std::int64_t>(items_.size()); }

  // User u's interactions (1 <= u <= num_users), sorted by time; ties keep the input file's order.
  std::span<const std::int32_t> items_of(std::int32_t u) const { return {items_.data() + offsets_[u], length(u)}; }
  std::span<const std::int64_t> times_of(std::int32_t u) const { return {times_.data() + offsets_[u], length(u)}; }
  std::size_t length(std::int32_t u) const { return std::size_t(offsets_[u + 1] - offsets_[u]); }

  // Raw ids as they appear in the input; index 0 is the padding entry "".
  const std::vector<std::string>& user_names() const { return user_names_; }
  const std::vector<std::string>& item_names() const { return item_names_; }

  std::int64_t min_time() const { return min_time_; }
  std::int64_t max_time() const { return max_time_; }
  const LoadReport& load_report() const { return load_report_; }
  const PreprocessReport& preprocess_report() const { return preprocess_report_; }
  const DatasetConfig& config() const { return config_; }

  // Throws an l2::Error unless the ids, offsets, items and times agree with each other: a Dataset
  // read from a file (the cache) is checked before anything indexes with them.
  void check_consistent() const;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(name_, source_, fingerprint_, user_names_, item_names_, offsets_, items_, times_, min_time_, max_time_,
       load_report_, preprocess_report_, config_.kcore, config_.duplicates);
  }

 private:
  friend Dataset build_dataset(RawLog log, const DatasetConfig& config, std::uint64_t fingerprint);

  std::string name_, source_;
  std::uint64_t fingerprint_ = 0;
  std::vector<std::string> user_names_{""}, item_names_{""};
  std::vector<std::int64_t> offsets_{0, 0};  // CSR: user u's rows are [offsets_[u], offsets_[u+1]); size num_users+2
  std::vector<std::int32_t> items_;
  std::vector<std::int64_t> times_;
  std::int64_t min_time_ = 0, max_time_ = 0;
  LoadReport load_report_;
  PreprocessReport preprocess_report_;
  DatasetConfig config_;
};

// Groups, sorts, filters and re-indexes a raw log (consumed). `fingerprint` identifies the input.
Dataset build_dataset(RawLog log, const DatasetConfig& config, std::uint64_t fingerprint);

// The order of raw ids: all-digit ids numerically (leading zeros ignored, then by text), before
// any other id, which sort by text. So MovieLens' "1".."943" keep their numbers as dense ids.
bool raw_id_less(const std::string& a, const std::string& b);

}  // namespace l2::recsys
