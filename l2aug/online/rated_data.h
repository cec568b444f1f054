// The data of the online experiment (Section 5.3.2): MovieLens with its explicit ratings, each
// user's time-ordered history split 7:3 into a training and a testing part, and users grouped by
// visiting frequency (the top 30% are core, the data layer's rule (b) in recsys/data/groups.h).
//
// Note [Ratings beside the data layer]
// The offline protocol (Section 5.1) treats every interaction as implicit feedback, so RawLog and
// Dataset keep (user, item, time) only. The simulator needs the rating of every logged item. Rather
// than widen the data layer's types and cache format for one experiment, read_ratings() reads the
// rating column of the same MovieLens file and joins it to the Dataset on the raw (user, item) ids;
// the Dataset itself (ids, time order, groups) still comes from the data layer.
//
// Note [Online split]
// The split is by time within each user: the first floor(0.7 n) of a user's n interactions (at
// least 1, at most n - 1) are training, the rest testing. So every user, casual or core, has a
// training history, from which its episodes start, and a testing part that no training step has
// seen: the training part builds the item embeddings, the training simulator's memory, the
// augmentor's correlations and the agents' logged transitions; the testing part builds the memory
// of the simulator that scores the final evaluation (its states reach back into the training part,
// as a user's state at that time did).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "recsys/data/dataset.h"
#include "recsys/data/groups.h"
#include "recsys/data/loaders.h"

namespace l2::online {

// Ratings aligned with the Dataset: ratings[u][k] is the rating of data.items_of(u)[k].
using RatingTable = std::vector<std::vector<float>>;

// Reads the rating column of a MovieLens file (u.data: user \t item \t rating \t time; ratings.dat:
// user::item::rating::time) and aligns it with `data`, which must have been loaded from the same
// file. Throws naming the file and line on a malformed line, a pair rated twice with different
// ratings, or an interaction of `data` the file does not rate.
RatingTable read_ratings(const recsys::DataSource& source, const recsys::Dataset& data);

struct OnlineDataConfig {
  double train_fraction = 0.7;  // paper, Section 5.3.2: "split it into 7 : 3 for training and testing"
  double core_fraction = 0.3;   // paper: "users of the top 30% visiting frequency as core users"
  double meta_fraction = 0.1;   // of the casual users: the meta set whose reward guides L2Aug (offline default)
  std::uint64_t meta_seed = 1;
};

class OnlineData {
 public:
  OnlineData(std::shared_ptr<const recsys::Dataset> data, RatingTable ratings, const OnlineDataConfig& config);

  const recsys::Dataset& dataset() const { return *data_; }
  const OnlineDataConfig& config() const { return config_; }
  std::int32_t num_users() const { return data_->num_users(); }
  std::int32_t num_items() const { return data_->num_items(); }

  // User u's whole history and ratings, and where its testing part starts (Note [Online split]).
  std::span<const std::int32_t> items(std::int32_t u) const { return data_->items_of(u); }
  std::span<const float> ratings(std::int32_t u) const { return ratings_[size_t(u)]; }
  std::int64_t train_length(std::int32_t u) const { return train_len_[size_t(u)]; }
  std::span<const std::int32_t> train_items(std::int32_t u) const { return items(u).first(size_t(train_length(u))); }
  std::span<const float> train_ratings(std::int32_t u) const { return ratings(u).first(size_t(train_length(u))); }

  recsys::Group group(std::int32_t u) const { return group_[size_t(u)]; }
  const std::vector<std::int32_t>& users_in(recsys::Group g) const { return g == recsys::Group::core ? core_ : casual_; }
  // A seeded meta_fraction of the casual users: the L2Aug reward's users, kept out of the agents'
  // training episodes and logged transitions (as offline, Section 4.1).
  const std::vector<std::int32_t>& meta_users() const { return meta_; }
  bool is_meta(std::int32_t u) const { return is_meta_[size_t(u)] != 0; }
  // Every user but the meta users: whose histories train the agents.
  const std::vector<std::int32_t>& training_users() const { return training_; }

  std::string describe() const;  // one line for reports

 private:
  std::shared_ptr<const recsys::Dataset> data_;
  RatingTable ratings_;
  OnlineDataConfig config_;
  std::vector<std::int64_t> train_len_;
  std::vector<recsys::Group> group_;
  std::vector<std::uint8_t> is_meta_;
  std::vector<std::int32_t> casual_, core_, meta_, training_;
};

// Loads a MovieLens file or folder (u.data, ratings.dat) through the data layer, with its ratings.
OnlineData load_online_data(const std::filesystem::path& path, const OnlineDataConfig& config);

}  // namespace l2::online
