#include "l2aug/online/rated_data.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <unordered_map>

#include "recsys/data/prepare.h"
#include "recsys/data/text.h"
#include "recsys/data/text_file.h"
#include "tensor/check.h"
#include "tensor/random.h"

namespace l2::online {

RatingTable read_ratings(const recsys::DataSource& source, const recsys::Dataset& data) {
  L2_CHECK(source.format == recsys::Format::movielens || source.format == recsys::Format::movielens_dat,
           "the online simulation needs explicit ratings: MovieLens u.data or ratings.dat, but "
               << (source.files.empty() ? std::string("the data") : source.files[0].string()) << " is in format "
               << recsys::format_name(source.format));
  const std::filesystem::path& file = source.files.at(0);
  const std::string delim = source.format == recsys::Format::movielens ? "\t" : "::";
  std::unordered_map<std::string, std::int32_t> user_id, item_id;
  for (size_t u = 1; u < data.user_names().size(); ++u) user_id.emplace(data.user_names()[u], std::int32_t(u));
  for (size_t i = 1; i < data.item_names().size(); ++i) item_id.emplace(data.item_names()[i], std::int32_t(i));
  auto key = [](std::int32_t u, std::int32_t i) { return (std::uint64_t(std::uint32_t(u)) << 32) | std::uint32_t(i); };

  std::unordered_map<std::uint64_t, float> rating;
  recsys::LineReader reader(file);
  std::string_view line;
  std::vector<std::string_view> f;
  while (reader.next(line)) {
    if (recsys::is_blank(line)) continue;
    recsys::split_fields(line, delim, f);
    L2_CHECK(f.size() == 4, reader.where() << ": expected user, item, rating and time, found " << f.size() << " fields");
    double r = 0.0;
    L2_CHECK(recsys::parse_double(recsys::trim(f[2]), r), reader.where() << ": the rating '" << f[2] << "' is not a number");
    const auto u = user_id.find(std::string(recsys::trim(f[0])));
    const auto i = item_id.find(std::string(recsys::trim(f[1])));
    if (u == user_id.end() || i == item_id.end()) continue;  // dropped by the data layer (k-core)
    const auto [it, fresh] = rating.emplace(key(u->second, i->second), float(r));
    L2_CHECK(fresh || it->second == float(r), reader.where() << ": user " << f[0] << " rated item " << f[1]
                                                             << " twice, " << it->second << " and " << r
                                                             << "; the simulator needs one rating per pair");
  }
  RatingTable table(size_t(data.num_users()) + 1);
  for (std::int32_t u = 1; u <= data.num_users(); ++u)
    for (std::int32_t i : data.items_of(u)) {
      const auto it = rating.find(key(u, i));
      L2_CHECK(it != rating.end(), file.string() << ": no rating for user " << data.user_names()[size_t(u)] << " and item "
                                                 << data.item_names()[size_t(i)] << " (was the data loaded from another file?)");
      table[size_t(u)].push_back(it->second);
    }
  return table;
}

OnlineData::OnlineData(std::shared_ptr<const recsys::Dataset> data, RatingTable ratings, const OnlineDataConfig& c)
    : data_(std::move(data)), ratings_(std::move(ratings)), config_(c) {
  L2_CHECK(c.train_fraction > 0.0 && c.train_fraction < 1.0, "online data: the training fraction must be in (0, 1), got "
                                                                 << c.train_fraction);
  L2_CHECK(c.meta_fraction >= 0.0 && c.meta_fraction < 1.0, "online data: the meta fraction must be in [0, 1), got "
                                                                << c.meta_fraction);
  const std::int32_t U = data_->num_users();
  L2_CHECK(std::int64_t(ratings_.size()) == std::int64_t(U) + 1, "online data: ratings for " << (ratings_.size() - 1)
                                                                                             << " users, the data has " << U);
  train_len_.assign(size_t(U) + 1, 0);
  std::vector<std::int32_t> whole(size_t(U) + 1, 0);
  for (std::int32_t u = 1; u <= U; ++u) {
    const auto n = std::int64_t(data_->length(u));
    L2_CHECK(std::int64_t(ratings_[size_t(u)].size()) == n, "online data: user " << u << " has " << n << " items but "
                                                                               << ratings_[size_t(u)].size() << " ratings");
    train_len_[size_t(u)] = std::clamp<std::int64_t>(std::int64_t(std::floor(c.train_fraction * double(n))), 1,
                                                     std::max<std::int64_t>(1, n - 1));
    whole[size_t(u)] = std::int32_t(n);
  }
  recsys::GroupConfig g;
  g.rule = recsys::GroupRule::top_frequency;
  g.core_fraction = c.core_fraction;
  group_ = recsys::assign_groups(*data_, g, whole);  // the whole history, as the paper groups users
  is_meta_.assign(size_t(U) + 1, 0);
  for (std::int32_t u = 1; u <= U; ++u) (group_[size_t(u)] == recsys::Group::core ? core_ : casual_).push_back(u);
  const auto n_meta = std::int64_t(std::llround(c.meta_fraction * double(casual_.size())));
  Generator draw(c.meta_seed, 0x3E7A);
  for (std::int64_t k : draw.sample_without_replacement(std::int64_t(casual_.size()), n_meta))
    is_meta_[size_t(casual_[size_t(k)])] = 1;
  for (std::int32_t u = 1; u <= U; ++u) (is_meta_[size_t(u)] ? meta_ : training_).push_back(u);
}

std::string OnlineData::describe() const {
  std::int64_t train = 0, total = data_->num_interactions();
  for (std::int32_t u = 1; u <= num_users(); ++u) train += train_len_[size_t(u)];
  std::ostringstream os;
  os << data_->name() << ": " << num_users() << " users (" << core_.size() << " core, " << casual_.size()
     << " casual, " << meta_.size() << " meta), " << num_items() << " items, " << total << " ratings; per-user time split "
     << config_.train_fraction << " -> " << train << " training / " << total - train << " testing";
  return os.str();
}

OnlineData load_online_data(const std::filesystem::path& path, const OnlineDataConfig& config) {
  recsys::LoadConfig load;
  load.data = path.string();
  const recsys::DataSource source = recsys::resolve_source(path, std::nullopt);
  std::shared_ptr<const recsys::Dataset> data = recsys::load_dataset(load, recsys::DatasetConfig{});
  RatingTable ratings = read_ratings(source, *data);
  return OnlineData(std::move(data), std::move(ratings), config);
}

}  // namespace l2::online
