// Ranking metrics on hand-computed rankings, ties included, through the evaluation path.
#include <boost/test/unit_test.hpp>

#include "../common/test_util.h"
#include "recsys/eval/evaluate.h"

using namespace l2;
using namespace l2::recsys;

BOOST_AUTO_TEST_SUITE(evaluate_suite)

BOOST_AUTO_TEST_CASE(metrics_from_ranks) {
  Metrics m({5, 10});
  for (std::int64_t r : {1, 3, 5, 6, 10, 11}) m.add(r);
  m.finish();
  BOOST_TEST(m.users == 6);
  BOOST_TEST(std::fabs(m.hr_at(5) - 3.0 / 6) < 1e-12);
  BOOST_TEST(std::fabs(m.hr_at(10) - 5.0 / 6) < 1e-12);
  const double n5 = (1.0 + 1.0 / std::log2(4.0) + 1.0 / std::log2(6.0)) / 6;
  const double n10 = n5 + (1.0 / std::log2(7.0) + 1.0 / std::log2(11.0)) / 6;
  BOOST_TEST(std::fabs(m.ndcg_at(5) - n5) < 1e-12);
  BOOST_TEST(std::fabs(m.ndcg_at(10) - n10) < 1e-12);
  BOOST_TEST(std::fabs(m.value("ndcg@10") - n10) < 1e-12);
  BOOST_CHECK_THROW(m.value("ndcg@20"), Error);
  BOOST_CHECK_THROW(m.value("auc"), Error);
}

BOOST_AUTO_TEST_CASE(ranking_with_ties_history_exclusion_and_sampling) {
  // Six items; scores are the same for every case: item 3 ties with items 2 and 5.
  const std::vector<float> row = {0.0f /*padding*/, 0.9f, 0.5f, 0.5f, 0.1f, 0.5f, 0.2f};
  ScoreFn score = [&](const EvalBatch& b) {
    Tensor s = Tensor::empty(Shape{b.B, 7});
    for (std::int64_t i = 0; i < b.B; ++i) std::copy(row.begin(), row.end(), s.data() + i * 7);
    return s;
  };
  const std::vector<std::int32_t> hist = {1, 2};
  std::vector<EvalCase> cases = {{hist, 3, 1}, {hist, 1, 2}, {hist, 4, 3}};
  EvalOptions o;
  o.maxlen = 5;
  auto r = rank_cases(score, cases, 6, o);
  BOOST_TEST((r == std::vector<std::int64_t>{4, 1, 6}));  // 3: one higher + two ties against it
  o.exclude_history = true;                               // items 1 and 2 can no longer be recommended
  r = rank_cases(score, cases, 6, o);
  BOOST_TEST((r == std::vector<std::int64_t>{2, 1, 4}));
  o.exclude_history = false;
  o.sampled = true;
  o.negatives = 3;  // only items 3..6 minus the target are never-seen: all drawn
  r = rank_cases(score, cases, 6, o);
  BOOST_TEST(r[0] == 2);  // target 3 (0.5) vs negatives 4 (0.1), 5 (0.5), 6 (0.2): the tie counts against it
  BOOST_TEST(o.protocol_name() == "sampled-3");
}

BOOST_AUTO_TEST_SUITE_END()
