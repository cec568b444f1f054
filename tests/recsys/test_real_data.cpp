// The shared real datasets (../shared/datasets, or $L2AUG_DATA_DIR): counts against each folder's
// SOURCE.md, the protocol's invariants, and the default-cutoff table against its rule. Run by the
// ctest entry recsys.real_data; reported as skipped when the data is absent.
#include <boost/test/unit_test.hpp>
#include <algorithm>
#include <cmath>

#include "../common/test_util.h"
#include "recsys/data/batch.h"
#include "recsys/data/cutoffs.h"
#include "recsys/data/dates.h"
#include "recsys/data/prepare.h"
#include "recsys_test_util.h"

using namespace l2::recsys;

namespace {
// The q-quantile, interpolating linearly between order statistics (numpy's default, as SOURCE.md).
double quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  const double pos = q * double(v.size() - 1);
  const std::size_t lo = std::size_t(pos);
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (pos - double(lo)) * (v[hi] - v[lo]);
}


// Figures from each SOURCE.md ("Measured on these files").
struct SourceFigures {
  const char* folder;
  std::int64_t rows, users, items, core, casual;
  const char *first_day, *last_day;                    // UTC
  double gap_p10, gap_p25, gap_p50, gap_p75, gap_p90;  // per-user mean gap, days, over all users
};

Split load_shared(const std::filesystem::path& folder, const DataConfig& base = {}) {
  DataConfig c = base;
  c.load.data = folder.string();
  c.cache.enabled = false;  // tests never write into the user's cache folder
  return prepare_data(c).split;
}

// Every invariant of the protocol that must hold on any dataset.
void check_split_invariants(const Split& s, bool has_repeats) {
  const Dataset& d = s.dataset();
  std::int64_t violations = 0;
  for (std::int32_t u = 1; u <= s.num_users(); ++u) {
    const auto times = d.times_of(u);
    const auto n = std::int32_t(times.size());
    const std::int32_t tr = s.train_length(u);
    for (std::int32_t k = 0; k < tr; ++k) violations += times[size_t(k)] >= s.cutoff();          // training before T
    for (std::int32_t k = tr; k < n; ++k) violations += times[size_t(k)] < s.cutoff();           // the rest at/after T
    for (std::int32_t k = 1; k < n; ++k) violations += times[size_t(k)] < times[size_t(k - 1)];  // sorted
    if (s.in_validation(u)) {
      // The validation interaction is the first at/after T, outside the training part.
      violations += s.validation_history(u).size() != size_t(tr);
      violations += s.validation_target(u) != d.items_of(u)[size_t(tr)];
    }
    if (s.in_test(u)) {
      violations += !s.in_validation(u);  // validation comes before test
      violations += s.test_history(u).size() != size_t(tr) + 1;
      violations += s.test_target(u) != d.items_of(u)[size_t(tr) + 1];
    }
    if (s.is_meta(u)) {
      violations += s.group(u) != Group::casual;
      violations += tr < 2;
      violations += s.train_sequence(u).size() != size_t(tr) - 1;
    }
  }
  BOOST_TEST(violations == 0);
  // Meta targets are absent from every training batch: on data without repeated (user, item)
  // pairs, the item itself never appears in its user's rows.
  const auto seqs = recommender_training_sequences(s);
  std::vector<std::int32_t> rows(seqs.size());
  for (size_t k = 0; k < rows.size(); ++k) rows[k] = std::int32_t(k);
  std::int64_t leaks = 0, meta_rows = 0;
  for (size_t b = 0; b < rows.size(); b += 4096) {
    const auto part = std::span<const std::int32_t>(rows).subspan(b, std::min<size_t>(4096, rows.size() - b));
    const SequenceBatch batch = make_sequence_batch(seqs, part, 50, {1, 0, s.num_items()});
    for (std::int64_t r = 0; r < batch.B; ++r) {
      const std::int32_t u = batch.users[size_t(r)];
      if (!s.is_meta(u)) continue;
      ++meta_rows;
      const std::int32_t target = s.meta_target(u);
      for (std::int64_t c = 0; c < batch.T; ++c) {
        const std::int64_t k = r * batch.T + c;
        if (has_repeats) continue;
        leaks += batch.items[k] == target || batch.targets[k] == target;
      }
    }
  }
  BOOST_TEST(leaks == 0);
  BOOST_TEST_MESSAGE("meta users in training batches: " << meta_rows << " of " << s.meta_users().size());
}

void check_dataset(const SourceFigures& f, const char* table_key, bool has_repeats) {
  const auto folder = l2::test::require_data(f.folder);
  if (folder.empty()) return;
  const Split s = load_shared(folder);
  const Dataset& d = s.dataset();
  BOOST_TEST(d.name() == table_key);
  BOOST_TEST(d.num_interactions() == f.rows);
  BOOST_TEST(d.num_users() == f.users);
  BOOST_TEST(d.num_items() == f.items);
  BOOST_TEST(format_date(d.min_time()) == f.first_day);
  BOOST_TEST(format_date(d.max_time()) == f.last_day);
  BOOST_TEST(std::int64_t(s.core_users().size()) == f.core);  // the whole-history 30-day rule
  BOOST_TEST(std::int64_t(s.casual_users().size()) == f.casual);
  // The per-user mean gap distribution of SOURCE.md (all users, rounded to 0.1 day there).
  std::vector<double> gaps;
  for (std::int32_t u = 1; u <= d.num_users(); ++u) gaps.push_back(mean_gap_days(d.times_of(u)));
  // SOURCE.md rounds to 0.1 day: allow half of that, absolute.
  BOOST_TEST(std::abs(quantile(gaps, 0.10) - f.gap_p10) <= 0.051);
  BOOST_TEST(std::abs(quantile(gaps, 0.25) - f.gap_p25) <= 0.051);
  BOOST_TEST(std::abs(quantile(gaps, 0.50) - f.gap_p50) <= 0.051);
  BOOST_TEST(std::abs(quantile(gaps, 0.75) - f.gap_p75) <= 0.051);
  BOOST_TEST(std::abs(quantile(gaps, 0.90) - f.gap_p90) <= 0.051);
  // The default cutoff is the one the automatic rule picks.
  const DefaultCutoff* c = find_default_cutoff(table_key);
  BOOST_REQUIRE(c);
  BOOST_TEST(s.cutoff() == cutoff_time(*c));
  BOOST_TEST(choose_cutoff(d, GroupConfig{}) == cutoff_time(*c));
  check_split_invariants(s, has_repeats);
  // Both groups are evaluated where both exist.
  if (f.casual > 0) BOOST_TEST(s.counts(Group::casual).test > 1000);
  BOOST_TEST(s.counts(Group::core).test > 100);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(real_data_suite)

BOOST_AUTO_TEST_CASE(movielens_100k, *boost::unit_test::label("needs_data")) {
  check_dataset({"ml-100k", 100000, 943, 1682, 943, 0, "1997-09-20", "1998-04-22", 0.0, 0.0, 0.0, 0.1, 0.8}, "ml-100k",
                false);
}

BOOST_AUTO_TEST_CASE(amazon_beauty, *boost::unit_test::label("needs_data")) {
  check_dataset(
      {"amazon-Beauty", 198502, 22363, 12101, 7779, 14584, "2002-06-12", "2014-07-23", 1.0, 16.3, 53.4, 115.2, 205.2},
      "beauty", false);
}

BOOST_AUTO_TEST_CASE(amazon_sports, *boost::unit_test::label("needs_data")) {
  check_dataset({"amazon-Sports_and_Outdoors", 296337, 35598, 18357, 11229, 24369, "2002-03-07", "2014-07-23", 2.2,
                 21.0, 58.3, 120.2, 214.3},
                "sports", false);
}

BOOST_AUTO_TEST_CASE(yelp_a, *boost::unit_test::label("needs_data")) {
  check_dataset({"yelp-ticoserec/Yelp-A", 316354, 30431, 20033, 19761, 10670, "2019-01-01", "2019-12-13", 1.7, 9.7,
                 21.6, 37.0, 52.4},
                "yelp", true);
}

BOOST_AUTO_TEST_CASE(yelp_repeat_visits_and_the_duplicate_policy, *boost::unit_test::label("needs_data")) {
  const auto folder = l2::test::require_data("yelp-ticoserec/Yelp-A");
  if (folder.empty()) return;
  DataConfig c;
  c.dataset.duplicates = DuplicatePolicy::drop_repeats;
  const Split s = load_shared(folder, c);
  BOOST_TEST(s.dataset().preprocess_report().duplicates_dropped == 11830);  // SOURCE.md: repeat visits
  BOOST_TEST(s.dataset().num_interactions() == 316354 - 11830);
}

BOOST_AUTO_TEST_CASE(five_core_data_is_its_own_5_core, *boost::unit_test::label("needs_data")) {
  const auto folder = l2::test::require_data("amazon-Beauty");
  if (folder.empty()) return;
  DataConfig c;
  c.dataset.kcore = 5;
  const Split s = load_shared(folder, c);
  BOOST_TEST(s.dataset().preprocess_report().kcore_rows_removed == 0);
  BOOST_TEST(s.dataset().num_interactions() == 198502);
}

BOOST_AUTO_TEST_SUITE_END()
