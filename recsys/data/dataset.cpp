#include "recsys/data/dataset.h"

#include <algorithm>
#include <numeric>

#include "tensor/check.h"

namespace l2::recsys {

namespace {

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Dense ids 1..K for the raw indices that survive (keep[r]), in raw_id_less order; 0 for the rest.
std::vector<std::int32_t> dense_ids(const std::vector<std::string>& names, const std::vector<char>& keep,
                                    std::vector<std::string>& dense_names) {
  std::vector<std::int32_t> order;
  for (std::int32_t r = 0; r < std::int32_t(names.size()); ++r)
    if (keep[size_t(r)]) order.push_back(r);
  std::sort(order.begin(), order.end(),
            [&](std::int32_t a, std::int32_t b) { return raw_id_less(names[size_t(a)], names[size_t(b)]); });
  std::vector<std::int32_t> id(names.size(), 0);
  dense_names.assign(1, "");
  for (size_t k = 0; k < order.size(); ++k) {
    id[size_t(order[k])] = std::int32_t(k + 1);
    dense_names.push_back(names[size_t(order[k])]);
  }
  return id;
}

}  // namespace

const char* duplicate_policy_name(DuplicatePolicy p) { return p == DuplicatePolicy::keep ? "keep" : "drop-repeats"; }

std::string DatasetConfig::describe() const {
  return std::string("duplicates=") + duplicate_policy_name(duplicates) + ";kcore=" + std::to_string(kcore);
}

bool raw_id_less(const std::string& a, const std::string& b) {
  const bool da = all_digits(a), db = all_digits(b);
  if (da != db) return da;
  if (da) {
    const size_t za = std::min(a.find_first_not_of('0'), a.size()), zb = std::min(b.find_first_not_of('0'), b.size());
    const size_t la = a.size() - za, lb = b.size() - zb;
    if (la != lb) return la < lb;
    if (int c = a.compare(za, la, b, zb, lb); c != 0) return c < 0;
  }
  return a < b;
}

Dataset build_dataset(RawLog log, const DatasetConfig& config, std::uint64_t fingerprint) {
  L2_CHECK(config.kcore >= 0, "k-core: k must be >= 0, got " << config.kcore);
  const std::int64_t n = log.size();
  L2_CHECK(n > 0, log.source << ": no interactions");
  Dataset d;
  d.name_ = log.name;
  d.source_ = log.source;
  d.fingerprint_ = fingerprint;
  d.load_report_ = log.report;
  d.config_ = config;

  // 1. Rows grouped by user, each user's rows by time; stable, so equal times keep file order.
  std::vector<std::int64_t> rows(static_cast<size_t>(n));
  std::iota(rows.begin(), rows.end(), std::int64_t(0));
  std::stable_sort(rows.begin(), rows.end(), [&](std::int64_t a, std::int64_t b) {
    if (log.user[size_t(a)] != log.user[size_t(b)]) return log.user[size_t(a)] < log.user[size_t(b)];
    return log.time[size_t(a)] < log.time[size_t(b)];
  });

  // 2. Duplicate policy: per user, keep the first interaction with each item.
  std::vector<char> alive(static_cast<size_t>(n), 1);
  if (config.duplicates == DuplicatePolicy::drop_repeats) {
    std::vector<std::int64_t> last_user(size_t(log.items.size()), -1);  // item -> last user that had it
    for (std::int64_t r : rows) {
      const auto u = log.user[size_t(r)], i = log.item[size_t(r)];
      if (last_user[size_t(i)] == u) {
        alive[size_t(r)] = 0;
        ++d.preprocess_report_.duplicates_dropped;
      }
      last_user[size_t(i)] = u;
    }
  }

  // 3. k-core: drop users and items below k until both sides are stable.
  std::vector<std::int64_t> user_count(size_t(log.users.size()), 0), item_count(size_t(log.items.size()), 0);
  for (std::int64_t r = 0; r < n; ++r)
    if (alive[size_t(r)]) ++user_count[size_t(log.user[size_t(r)])], ++item_count[size_t(log.item[size_t(r)])];
  if (config.kcore > 1) {
    const std::int64_t k = config.kcore;
    while (true) {
      std::int64_t removed = 0;
      for (std::int64_t r = 0; r < n; ++r) {
        if (!alive[size_t(r)]) continue;
        const auto u = size_t(log.user[size_t(r)]), i = size_t(log.item[size_t(r)]);
        if (user_count[u] < k || item_count[i] < k) {
          alive[size_t(r)] = 0;
          ++removed;
        }
      }
      if (removed == 0) break;
      ++d.preprocess_report_.kcore_rounds;
      d.preprocess_report_.kcore_rows_removed += removed;
      std::fill(user_count.begin(), user_count.end(), 0);
      std::fill(item_count.begin(), item_count.end(), 0);
      for (std::int64_t r = 0; r < n; ++r)
        if (alive[size_t(r)]) ++user_count[size_t(log.user[size_t(r)])], ++item_count[size_t(log.item[size_t(r)])];
    }
  }
  // Only the k-core filter can empty a user or an item: the duplicate policy keeps one row of each pair.
  std::vector<char> keep_user(user_count.size()), keep_item(item_count.size());
  for (size_t u = 0; u < user_count.size(); ++u) {
    keep_user[u] = user_count[u] > 0;
    if (!keep_user[u]) ++d.preprocess_report_.kcore_users_removed;
  }
  for (size_t i = 0; i < item_count.size(); ++i) {
    keep_item[i] = item_count[i] > 0;
    if (!keep_item[i]) ++d.preprocess_report_.kcore_items_removed;
  }
  L2_CHECK(std::any_of(keep_user.begin(), keep_user.end(), [](char c) { return c; }),
           log.source << ": the " << config.kcore << "-core filter removed every interaction");

  // 4. Dense ids in raw-id order, then the CSR arrays in dense user order.
  const auto user_id = dense_ids(log.users.names(), keep_user, d.user_names_);
  const auto item_id = dense_ids(log.items.names(), keep_item, d.item_names_);
  const std::int32_t U = d.num_users();
  std::vector<std::int64_t> begin_of(size_t(U) + 2, 0);  // rows of dense user u in `rows`, via a count
  for (std::int64_t r : rows)
    if (alive[size_t(r)]) ++begin_of[size_t(user_id[size_t(log.user[size_t(r)])]) + 1];
  d.offsets_.assign(size_t(U) + 2, 0);
  for (std::int32_t u = 1; u <= U; ++u) d.offsets_[size_t(u) + 1] = d.offsets_[size_t(u)] + begin_of[size_t(u) + 1];
  d.items_.assign(size_t(d.offsets_[size_t(U) + 1]), 0);
  d.times_.assign(d.items_.size(), 0);
  std::vector<std::int64_t> cursor(d.offsets_.begin(), d.offsets_.end());
  for (std::int64_t r : rows) {  // `rows` is in (raw user, time) order: per user, time order is kept
    if (!alive[size_t(r)]) continue;
    const auto u = size_t(user_id[size_t(log.user[size_t(r)])]);
    const auto at = size_t(cursor[u]++);
    d.items_[at] = item_id[size_t(log.item[size_t(r)])];
    d.times_[at] = log.time[size_t(r)];
  }
  d.min_time_ = *std::min_element(d.times_.begin(), d.times_.end());
  d.max_time_ = *std::max_element(d.times_.begin(), d.times_.end());
  return d;
}

void Dataset::check_consistent() const {
  const std::size_t U = user_names_.size(), V = item_names_.size();
  L2_CHECK(U >= 1 && V >= 1 && U - 1 <= std::size_t(std::numeric_limits<std::int32_t>::max()) &&
               V - 1 <= std::size_t(std::numeric_limits<std::int32_t>::max()),
           "dataset: bad id tables (" << U << " users, " << V << " items with padding)");
  L2_CHECK(offsets_.size() == U + 1 && offsets_.front() == 0 && offsets_.back() == std::int64_t(items_.size()) &&
               times_.size() == items_.size(),
           "dataset: " << offsets_.size() << " offsets for " << U - 1 << " users, " << items_.size() << " items and "
                       << times_.size() << " times");
  for (std::size_t u = 0; u + 1 < offsets_.size(); ++u)
    L2_CHECK(offsets_[u] <= offsets_[u + 1], "dataset: offsets decrease at user " << u);
  for (const std::int32_t i : items_)
    L2_CHECK(i >= 1 && std::size_t(i) < V, "dataset: item id " << i << " outside 1.." << V - 1);
}

}  // namespace l2::recsys
