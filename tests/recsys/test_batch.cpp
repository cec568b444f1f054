#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <set>
#include <tuple>

#include "../common/test_util.h"
#include "recsys/data/batch.h"
#include "recsys/data/synthetic.h"
#include "recsys_test_util.h"

using namespace l2::recsys;
using l2::test::contains;
using l2::test::error_of;

namespace {

using Tuple = std::tuple<std::int32_t, std::int32_t, std::int32_t, std::int32_t,
                         std::int32_t>;  // user, position, item, target, negative

// Every real (non-padding) position of a batch as a tuple.
void collect(const SequenceBatch& b, std::vector<Tuple>& out) {
  for (std::int64_t r = 0; r < b.B; ++r)
    for (std::int64_t c = 0; c < b.T; ++c) {
      const std::int64_t k = r * b.T + c;
      if (b.targets[k] == 0) {
        BOOST_TEST(b.items[k] == 0);
        BOOST_TEST(b.negatives[k] == 0);
        continue;
      }
      out.emplace_back(b.users[size_t(r)], b.positions[k], b.items[k], b.targets[k], b.negatives[k]);
    }
}

std::vector<std::int32_t> row(const l2::IndexTensor& t, std::int64_t r) {
  const std::int64_t T = t.dim(1);
  return std::vector<std::int32_t>(t.data() + r * T, t.data() + (r + 1) * T);
}

Split synthetic_split(const std::string& spec) {
  const auto data =
      std::make_shared<const Dataset>(build_dataset(generate_synthetic(parse_synthetic_spec(spec)).log, {}, 0));
  return Split(data, ProtocolConfig{});
}

}  // namespace

BOOST_AUTO_TEST_SUITE(batch_suite)

BOOST_AUTO_TEST_CASE(left_padded_inputs_next_item_targets_and_absolute_positions) {
  const std::vector<std::int32_t> a = {1, 2, 3, 4, 5}, b = {6, 7};
  const std::vector<SequenceRef> seqs = {{a, a, 11, 1.0f}, {b, b, 12, 0.5f}};
  const std::vector<std::int32_t> rows = {0, 1};
  const SequenceBatch batch = make_sequence_batch(seqs, rows, 10, {7, 3, 20});
  BOOST_TEST(batch.B == 2);
  BOOST_TEST(batch.T == 4);  // the longest input: 5 items give 4 inputs
  BOOST_TEST(row(batch.items, 0) == std::vector<std::int32_t>({1, 2, 3, 4}), boost::test_tools::per_element());
  BOOST_TEST(row(batch.targets, 0) == std::vector<std::int32_t>({2, 3, 4, 5}), boost::test_tools::per_element());
  BOOST_TEST(row(batch.items, 1) == std::vector<std::int32_t>({0, 0, 0, 6}), boost::test_tools::per_element());
  BOOST_TEST(row(batch.targets, 1) == std::vector<std::int32_t>({0, 0, 0, 7}), boost::test_tools::per_element());
  // Positions are the slots of the maxlen-wide window: the last column is slot maxlen - 1.
  BOOST_TEST(row(batch.positions, 1) == std::vector<std::int32_t>({6, 7, 8, 9}), boost::test_tools::per_element());
  const auto neg1 = row(batch.negatives, 1);
  BOOST_TEST(neg1[0] == 0);
  BOOST_TEST(neg1[3] != 0);
  BOOST_TEST(batch.users == std::vector<std::int32_t>({11, 12}), boost::test_tools::per_element());
  BOOST_TEST(batch.weights[1] == 0.5f);
  BOOST_TEST(batch.rows == rows, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(long_sequences_keep_their_last_maxlen_inputs) {
  const std::vector<std::int32_t> a = {1, 2, 3, 4, 5, 6};
  const std::vector<SequenceRef> seqs = {{a, a, 1, 1.0f}};
  const std::vector<std::int32_t> rows = {0};
  const SequenceBatch batch = make_sequence_batch(seqs, rows, 3, {1, 0, 10});
  BOOST_TEST(batch.T == 3);
  BOOST_TEST(row(batch.items, 0) == std::vector<std::int32_t>({3, 4, 5}), boost::test_tools::per_element());
  BOOST_TEST(row(batch.targets, 0) == std::vector<std::int32_t>({4, 5, 6}), boost::test_tools::per_element());
  BOOST_TEST(row(batch.positions, 0) == std::vector<std::int32_t>({0, 1, 2}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(negatives_avoid_the_excluded_items_and_are_reproducible) {
  // 10 items, the user's training items 1..8 excluded: every negative must be 9 or 10.
  const std::vector<std::int32_t> a = {1, 2, 3, 4, 5, 6, 7, 8};
  std::vector<SequenceRef> seqs(50, SequenceRef{a, a, 0, 1.0f});
  std::vector<std::int32_t> rows;
  for (int k = 0; k < 50; ++k) seqs[size_t(k)].user = k + 1, rows.push_back(k);
  const SequenceBatch b1 = make_sequence_batch(seqs, rows, 20, {5, 1, 10});
  std::set<std::int32_t> seen;
  for (std::int64_t k = 0; k < b1.negatives.numel(); ++k)
    if (b1.targets[k] != 0) seen.insert(b1.negatives[k]);
  BOOST_TEST(seen == std::set<std::int32_t>({9, 10}), boost::test_tools::per_element());
  const SequenceBatch b2 = make_sequence_batch(seqs, rows, 20, {5, 1, 10});
  BOOST_TEST(b1.negatives.to_vector() == b2.negatives.to_vector(), boost::test_tools::per_element());
  const SequenceBatch b3 = make_sequence_batch(seqs, rows, 20, {5, 2, 10});  // another stream
  BOOST_TEST((b1.negatives.to_vector() != b3.negatives.to_vector()));
}

BOOST_AUTO_TEST_CASE(batches_do_not_depend_on_the_thread_count) {
  const Split s = synthetic_split("synthetic:users=300,items=200,topics=10");
  const auto seqs = recommender_training_sequences(s);
  std::vector<std::int32_t> rows(seqs.size());
  for (size_t k = 0; k < rows.size(); ++k) rows[k] = std::int32_t(k);
  const auto [one, two] = l2::test::with_1_and_2_threads([&] {
    return make_sequence_batch(seqs, rows, 50, {9, 4, s.num_items()}).negatives.to_vector();
  });
  BOOST_TEST(one == two, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(bucketing_changes_no_position_item_target_or_negative) {
  const Split s = synthetic_split("synthetic:users=800,items=300,topics=10");
  const auto seqs = recommender_training_sequences(s);
  const std::int64_t maxlen = 20, batch_size = 32;
  const NegativeSampling neg{42, 7, s.num_items()};
  l2::Generator g1(3), g2(3);
  const BatchPlan plain = plan_unbucketed(std::int64_t(seqs.size()), batch_size, g1);
  const BatchPlan bucketed = plan_bucketed(input_lengths(seqs, maxlen), batch_size, g2, 4);
  std::vector<Tuple> a, b;
  std::int64_t cells_plain = 0, cells_bucketed = 0;
  for (const auto& rows : plain) {
    const SequenceBatch batch = make_sequence_batch(seqs, rows, maxlen, neg);
    cells_plain += batch.B * batch.T;
    collect(batch, a);
  }
  for (const auto& rows : bucketed) {
    const SequenceBatch batch = make_sequence_batch(seqs, rows, maxlen, neg);
    cells_bucketed += batch.B * batch.T;
    collect(batch, b);
  }
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  BOOST_TEST(a.size() > 1000u);
  BOOST_TEST((a == b));
  BOOST_TEST(cells_bucketed < cells_plain);  // the point of bucketing: less padding work
  BOOST_TEST_MESSAGE("padding cells: " << cells_plain << " unbucketed, " << cells_bucketed << " bucketed");
}

BOOST_AUTO_TEST_CASE(plans_cover_every_row_once_and_are_deterministic) {
  std::vector<std::int64_t> lengths;
  for (int k = 0; k < 103; ++k) lengths.push_back((k * 37) % 50);
  for (int bucketed = 0; bucketed < 2; ++bucketed) {
    l2::Generator g(11), h(11);
    const BatchPlan p = bucketed ? plan_bucketed(lengths, 10, g, 3) : plan_unbucketed(103, 10, g);
    const BatchPlan q = bucketed ? plan_bucketed(lengths, 10, h, 3) : plan_unbucketed(103, 10, h);
    BOOST_TEST((p == q));
    BOOST_TEST(p.size() == 11u);
    std::vector<int> count(103, 0);
    for (const auto& batch : p)
      for (std::int32_t r : batch) ++count[size_t(r)];
    BOOST_TEST(std::all_of(count.begin(), count.end(), [](int c) { return c == 1; }));
  }
  // Inside a window of batches, a bucketed batch holds neighbouring lengths.
  l2::Generator g(5);
  const BatchPlan p = plan_bucketed(lengths, 10, g, 100);  // one window: sorted overall
  std::int64_t spread = 0;
  for (const auto& batch : p) {
    std::int64_t lo = 1 << 30, hi = 0;
    for (std::int32_t r : batch) lo = std::min(lo, lengths[size_t(r)]), hi = std::max(hi, lengths[size_t(r)]);
    spread = std::max(spread, hi - lo);
  }
  BOOST_TEST(spread <= 6);
}

BOOST_AUTO_TEST_CASE(bad_batches_are_errors) {
  const std::vector<std::int32_t> one = {3}, all = {1, 2, 3};
  const std::vector<SequenceRef> seqs = {{one, one, 5, 1.0f}, {all, all, 6, 1.0f}};
  BOOST_TEST(contains(error_of([&] {
                        make_sequence_batch(seqs, std::vector<std::int32_t>{0}, 5, {1, 0, 3});
                      }),
                      "sequence 0 (user 5) has 1 items"));
  BOOST_TEST(contains(error_of([&] {
                        make_sequence_batch(seqs, std::vector<std::int32_t>{1}, 5, {1, 0, 3});
                      }),
                      "user 6 has every item among its excluded items"));
  BOOST_TEST(contains(error_of([&] {
                        make_sequence_batch(seqs, std::vector<std::int32_t>{2}, 5, {1, 0, 3});
                      }),
                      "outside the 2 sequences"));
}

BOOST_AUTO_TEST_CASE(evaluation_batches_put_the_last_item_in_the_last_column) {
  const std::vector<std::int32_t> h1 = {1, 2, 3}, h2 = {4}, h3 = {5, 6, 7, 8, 9};
  const std::vector<EvalCase> cases = {{h1, 10, 1}, {h2, 11, 2}, {h3, 12, 3}};
  const EvalBatch b = make_eval_batch(cases, 4);
  BOOST_TEST(b.T == 4);
  BOOST_TEST(row(b.items, 0) == std::vector<std::int32_t>({0, 1, 2, 3}), boost::test_tools::per_element());
  BOOST_TEST(row(b.items, 1) == std::vector<std::int32_t>({0, 0, 0, 4}), boost::test_tools::per_element());
  BOOST_TEST(row(b.items, 2) == std::vector<std::int32_t>({6, 7, 8, 9}), boost::test_tools::per_element());
  BOOST_TEST(row(b.positions, 0) == std::vector<std::int32_t>({0, 1, 2, 3}), boost::test_tools::per_element());
  BOOST_TEST(b.targets.to_vector() == std::vector<std::int32_t>({10, 11, 12}), boost::test_tools::per_element());
  const EvalBatch small = make_eval_batch(std::span<const EvalCase>(cases).first(2), 50);
  BOOST_TEST(small.T == 3);
  BOOST_TEST(row(small.positions, 1) == std::vector<std::int32_t>({47, 48, 49}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(eval_cases_follow_the_split) {
  const Split s = synthetic_split("synthetic:users=300,items=200,topics=10");
  const auto valid = eval_cases(s, EvalSet::validation);
  BOOST_TEST(valid.size() == s.validation_users().size());
  for (const EvalCase& c : valid) {
    BOOST_TEST(c.target == s.validation_target(c.user));
    BOOST_TEST(c.history.size() == size_t(s.train_length(c.user)));
  }
  const auto test_casual = eval_cases(s, EvalSet::test, Group::casual);
  const auto test_core = eval_cases(s, EvalSet::test, Group::core);
  BOOST_TEST(test_casual.size() + test_core.size() == s.test_users().size());
  for (const EvalCase& c : eval_cases(s, EvalSet::meta)) BOOST_TEST(c.target == s.meta_target(c.user));
}

BOOST_AUTO_TEST_SUITE_END()
