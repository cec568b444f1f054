#include "recsys/data/split.h"

#include <algorithm>
#include <cmath>

#include "recsys/data/cutoffs.h"
#include "recsys/data/dates.h"
#include "recsys/data/text.h"
#include "tensor/check.h"
#include "tensor/random.h"

namespace l2::recsys {

namespace {
// The random stream of the meta-validation draw ("meta" in ASCII), apart from every other stream of the seed.
constexpr std::uint64_t kMetaStream = 0x6D657461;
}  // namespace

const char* split_kind_name(SplitKind k) { return k == SplitKind::temporal ? "temporal" : "loo"; }

std::string ProtocolConfig::describe() const {
  std::string s = std::string("split=") + split_kind_name(split);
  if (split == SplitKind::temporal) {
    if (cutoff.kind == CutoffChoice::Kind::fixed)
      s += ";cutoff=" + std::to_string(cutoff.time);
    else
      s += cutoff.kind == CutoffChoice::Kind::automatic ? ";cutoff=auto" : ";cutoff=default";
  }
  return s + ";" + groups.describe() + ";meta_fraction=" + format_number(meta_fraction) +
         ";seed=" + std::to_string(seed);
}

std::vector<std::int32_t> temporal_train_lengths(const Dataset& data, std::int64_t cutoff) {
  std::vector<std::int32_t> len(size_t(data.num_users()) + 1, 0);
  for (std::int32_t u = 1; u <= data.num_users(); ++u) {
    const auto t = data.times_of(u);
    len[size_t(u)] = std::int32_t(std::lower_bound(t.begin(), t.end(), cutoff) - t.begin());  // times sorted
  }
  return len;
}

Split::Split(std::shared_ptr<const Dataset> data, const ProtocolConfig& config)
    : data_(std::move(data)), config_(config) {
  L2_CHECK(data_ && data_->num_users() > 0, "split: the dataset has no users");
  L2_CHECK(config.meta_fraction >= 0.0 && config.meta_fraction <= 1.0,
           "split: the meta-validation fraction must be in [0, 1], got " << config.meta_fraction);
  const Dataset& d = *data_;
  const std::int32_t U = d.num_users();

  // 1. The training part of each user.
  if (config.split == SplitKind::temporal) {
    const ResolvedCutoff c = resolve_cutoff(d, config);
    cutoff_ = c.time;
    cutoff_origin_ = c.origin;
    config_.cutoff = {CutoffChoice::Kind::fixed, c.time};  // what was used, for reports and caches
    train_len_ = temporal_train_lengths(d, cutoff_);
  } else {
    cutoff_origin_ = "none (leave-one-out)";
    train_len_.assign(size_t(U) + 1, 0);
    for (std::int32_t u = 1; u <= U; ++u) {
      const auto n = std::int32_t(d.length(u));
      train_len_[size_t(u)] = n >= 3 ? n - 2 : n;
    }
  }

  // 2. Groups, from the whole history or from the training part.
  std::vector<std::int32_t> history(size_t(U) + 1, 0);
  for (std::int32_t u = 1; u <= U; ++u)
    history[size_t(u)] =
        config.groups.scope == GroupScope::training ? train_len_[size_t(u)] : std::int32_t(d.length(u));
  group_ = assign_groups(d, config.groups, history);

  // 3. Validation and test membership.
  flags_.assign(size_t(U) + 1, 0);
  for (std::int32_t u = 1; u <= U; ++u) {
    const std::int32_t n = std::int32_t(d.length(u)), tr = train_len_[size_t(u)];
    if (tr >= 1 && n - tr >= 1) flags_[size_t(u)] |= kValid;
    if (tr >= 1 && n - tr >= 2) flags_[size_t(u)] |= kTest;
  }

  // 4. Meta-validation users: a seeded sample of the eligible casual users (>= 2 training interactions).
  std::vector<std::int32_t> eligible;
  for (std::int32_t u = 1; u <= U; ++u)
    if (group_[size_t(u)] == Group::casual && train_len_[size_t(u)] >= 2) eligible.push_back(u);
  const auto m = static_cast<std::int64_t>(std::llround(config.meta_fraction * double(eligible.size())));
  Generator rng(config.seed, kMetaStream);
  for (std::int64_t k : rng.sample_without_replacement(std::int64_t(eligible.size()), m))
    flags_[size_t(eligible[size_t(k)])] |= kMeta;

  build_lists();
}

void Split::build_lists() {
  const Dataset& d = *data_;
  casual_users_.clear(), core_users_.clear(), meta_users_.clear();
  validation_users_.clear(), test_users_.clear(), trainable_users_.clear();
  counts_ = {};
  for (std::int32_t u = 1; u <= d.num_users(); ++u) {
    const Group g = group_[size_t(u)];
    GroupCounts& c = counts_[size_t(g)];
    (g == Group::core ? core_users_ : casual_users_).push_back(u);
    ++c.users;
    const std::int32_t n = std::int32_t(d.length(u)), tr = train_len_[size_t(u)];
    c.train_interactions += tr;
    if (is_meta(u)) meta_users_.push_back(u), ++c.meta;
    if (g == Group::casual && tr >= 2) ++c.meta_eligible;
    if (in_validation(u)) validation_users_.push_back(u), ++c.validation;
    if (in_test(u)) test_users_.push_back(u), ++c.test;
    if (train_sequence(u).size() >= 2) trainable_users_.push_back(u);
    if (config_.split == SplitKind::leave_one_out) {
      if (n < 3) ++c.too_short;
    } else if (tr == 0) {
      ++c.no_train;
    } else if (n - tr == 0) {
      ++c.no_valid;
    } else if (n - tr == 1) {
      ++c.no_test;
    }
  }
}

void Split::check_consistent() const {
  const std::size_t n = std::size_t(data_->num_users()) + 1;
  L2_CHECK(train_len_.size() == n && flags_.size() == n && group_.size() == n,
           "split: " << train_len_.size() << " train lengths, " << flags_.size() << " flags and " << group_.size()
                     << " groups for " << n - 1 << " users");
  for (std::int32_t u = 1; u < std::int32_t(n); ++u) {
    L2_CHECK(train_len_[size_t(u)] >= 0 && std::size_t(train_len_[size_t(u)]) <= data_->length(u),
             "split: user " << u << " has " << train_len_[size_t(u)] << " training interactions of " << data_->length(u));
    const std::uint8_t f = flags_[size_t(u)];
    const std::size_t tr = std::size_t(train_len_[size_t(u)]), n_u = data_->length(u);
    // Each flag promises the interactions its target is read from.
    L2_CHECK(f <= (kValid | kTest | kMeta) && (!(f & kMeta) || tr >= 1) && (!(f & kValid) || tr + 1 <= n_u) &&
                 (!(f & kTest) || tr + 2 <= n_u),
             "split: user " << u << " has flags " << int(f) << " that do not fit its " << tr << " training and " << n_u
                            << " interactions");
    L2_CHECK(group_[size_t(u)] == Group::core || group_[size_t(u)] == Group::casual,
             "split: user " << u << " has an unknown group");
  }
}

}  // namespace l2::recsys
