// The experimental protocol (Appendix A.1, Section 4.1): which interactions train the recommender,
// which validate and test it, and which casual users form the meta-validation set of the augmentor.
//  - Temporal split (default): cutoff T; training = interactions with time < T; per user, the first
//    interaction at or after T (in the stable time order) is validation, the second is test.
//    Users lacking either, or with no training interaction, are left out of that set and counted.
//  - Leave-one-out: the last interaction is test, the one before it validation (users with >= 3).
//  - Evaluation inputs: validation ranks from the training items; test from training + validation item.
//  - Meta-validation (Section 4.1, A.3): a seeded random 10% of the casual users with >= 2 training
//    interactions. A meta user's last training interaction is its meta target, withheld from the
//    recommender's training sequence (train[:-1]); meta users are still validated and tested.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "recsys/data/dataset.h"
#include "recsys/data/groups.h"

namespace l2::recsys {

enum class SplitKind { temporal, leave_one_out };
const char* split_kind_name(SplitKind k);  // "temporal", "loo"

// How the cutoff T is chosen: the per-dataset default of cutoffs.h (falling back to the automatic
// rule for a dataset with no default), the automatic rule itself, or a given time.
struct CutoffChoice {
  enum class Kind { table_default, automatic, fixed };
  Kind kind = Kind::table_default;
  std::int64_t time = 0;  // unix seconds, for Kind::fixed

  template <class Archive>
  void serialize(Archive& ar) {
    ar(kind, time);
  }
};

struct ProtocolConfig {
  SplitKind split = SplitKind::temporal;
  CutoffChoice cutoff;
  GroupConfig groups;
  double meta_fraction = 0.1;  // of the eligible casual users
  std::uint64_t seed = 1;      // draws the meta-validation users
  std::string describe() const;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(split, cutoff, groups, meta_fraction, seed);
  }
};

// Per group: how the users fall into the evaluation sets.
struct GroupCounts {
  std::int64_t users = 0;
  std::int64_t validation = 0, test = 0;  // users evaluated
  std::int64_t meta = 0, meta_eligible = 0;
  // Left out of validation/test, by reason (temporal: every interaction is at/after T; no
  // interaction at/after T; only one. Leave-one-out: fewer than 3 interactions -> too_short).
  std::int64_t no_train = 0, no_valid = 0, no_test = 0, too_short = 0;
  std::int64_t train_interactions = 0;  // in the training part (meta targets included)

  template <class Archive>
  void serialize(Archive& ar) {
    ar(users, validation, test, meta, meta_eligible, no_train, no_valid, no_test, too_short, train_interactions);
  }
};

class Split {
 public:
  Split() = default;
  // Applies the protocol to a dataset; resolves the cutoff (table default or automatic rule).
  Split(std::shared_ptr<const Dataset> data, const ProtocolConfig& config);

  const Dataset& dataset() const { return *data_; }
  const ProtocolConfig& config() const { return config_; }
  std::int64_t cutoff() const { return cutoff_; }                      // T (temporal split only)
  const std::string& cutoff_origin() const { return cutoff_origin_; }  // why this T, for reports
  std::int32_t num_users() const { return data_->num_users(); }
  std::int32_t num_items() const { return data_->num_items(); }

  // --- per user u in 1..num_users ---
  Group group(std::int32_t u) const { return group_[size_t(u)]; }
  bool is_meta(std::int32_t u) const { return flags_[size_t(u)] & kMeta; }
  bool in_validation(std::int32_t u) const { return flags_[size_t(u)] & kValid; }
  bool in_test(std::int32_t u) const { return flags_[size_t(u)] & kTest; }
  std::int32_t train_length(std::int32_t u) const { return train_len_[size_t(u)]; }

  // The whole training part: interactions before T (meta targets included).
  std::span<const std::int32_t> train_items(std::int32_t u) const {
    return data_->items_of(u).first(size_t(train_len_[size_t(u)]));
  }
  std::span<const std::int64_t> train_times(std::int32_t u) const {
    return data_->times_of(u).first(size_t(train_len_[size_t(u)]));
  }
  // What the recommender trains on: train_items, without the meta target for a meta user.
  std::span<const std::int32_t> train_sequence(std::int32_t u) const {
    return train_items(u).first(size_t(train_len_[size_t(u)] - (is_meta(u) ? 1 : 0)));
  }
  // Validation: history = the training items, target = the first interaction at/after T (0 if none).
  std::span<const std::int32_t> validation_history(std::int32_t u) const { return train_items(u); }
  std::int32_t validation_target(std::int32_t u) const {
    return in_validation(u) ? item_at(u, train_len_[size_t(u)]) : 0;
  }
  // Test: history = training items + the validation item, target = the second interaction at/after T.
  std::span<const std::int32_t> test_history(std::int32_t u) const {
    return in_test(u) ? data_->items_of(u).first(size_t(train_len_[size_t(u)] + 1)) : train_items(u);
  }
  std::int32_t test_target(std::int32_t u) const { return in_test(u) ? item_at(u, train_len_[size_t(u)] + 1) : 0; }
  // Meta-validation: history = train[:-1], target = the last training item (meta users only).
  std::span<const std::int32_t> meta_history(std::int32_t u) const {
    return is_meta(u) ? train_items(u).first(size_t(train_len_[size_t(u)] - 1)) : std::span<const std::int32_t>();
  }
  std::int32_t meta_target(std::int32_t u) const { return is_meta(u) ? item_at(u, train_len_[size_t(u)] - 1) : 0; }

  // --- user lists, ascending ids ---
  const std::vector<std::int32_t>& users_in(Group g) const { return g == Group::core ? core_users_ : casual_users_; }
  const std::vector<std::int32_t>& casual_users() const { return casual_users_; }
  const std::vector<std::int32_t>& core_users() const { return core_users_; }
  const std::vector<std::int32_t>& meta_users() const { return meta_users_; }
  const std::vector<std::int32_t>& validation_users() const { return validation_users_; }
  const std::vector<std::int32_t>& test_users() const { return test_users_; }
  // Users whose recommender training sequence has >= 2 items (at least one training target).
  const std::vector<std::int32_t>& trainable_users() const { return trainable_users_; }

  const GroupCounts& counts(Group g) const { return counts_[size_t(g)]; }

  template <class Archive>
  void save(Archive& ar) const {
    ar(*data_, config_, cutoff_, cutoff_origin_, train_len_, flags_, group_);
  }
  template <class Archive>
  void load(Archive& ar) {
    auto d = std::make_shared<Dataset>();
    ar(*d, config_, cutoff_, cutoff_origin_, train_len_, flags_, group_);
    d->check_consistent();
    data_ = std::move(d);
    check_consistent();
    build_lists();
  }

 private:
  static constexpr std::uint8_t kValid = 1, kTest = 2, kMeta = 4;
  std::int32_t item_at(std::int32_t u, std::int32_t k) const { return data_->items_of(u)[size_t(k)]; }
  void build_lists();  // the user lists and counts, from train_len_, flags_ and group_
  void check_consistent() const;  // throws unless train_len_, flags_ and group_ fit the dataset (a loaded split)

  std::shared_ptr<const Dataset> data_ = std::make_shared<Dataset>();
  ProtocolConfig config_;
  std::int64_t cutoff_ = 0;
  std::string cutoff_origin_;
  std::vector<std::int32_t> train_len_;  // [num_users + 1]
  std::vector<std::uint8_t> flags_;      // kValid | kTest | kMeta
  std::vector<Group> group_;
  std::vector<std::int32_t> casual_users_, core_users_, meta_users_, validation_users_, test_users_, trainable_users_;
  std::array<GroupCounts, 2> counts_{};
};

// For every user, how many of its interactions are before T (index 0 unused, 0).
std::vector<std::int32_t> temporal_train_lengths(const Dataset& data, std::int64_t cutoff);

}  // namespace l2::recsys
