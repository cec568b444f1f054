// Ranking metrics on hand-computed rankings, ties included, through the evaluation path, and
// split by user group (casual and core) on a toy split; cases scored in length order keep their ranks.
#include <boost/test/unit_test.hpp>
#include <map>

#include "../common/test_util.h"
#include "recsys/data/split.h"
#include "recsys/eval/evaluate.h"
#include "recsys_test_util.h"

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

// Four users validated, three tested, with the cutoff at day 1000 (times in days; item "u.k" is
// user u's k-th interaction; core = mean gap under 30 days):
//   1: 100 200 | 1000 1100          casual   validation 1.2, test 1.3
//   2: 100     | 1200               casual   validation 2.1
//   5: 10 20 30 | 1500 1600 1700    casual   validation 5.3, test 5.4
//   6: 990 995 999 | 1000 1001      core     validation 6.3, test 6.4
// The scorer ranks every item in one fixed order, so the target ranks are read off the list:
// validation 1.2 -> 1, 6.3 -> 2, 2.1 -> 3, 5.3 -> 12; test 5.4 -> 5, 6.4 -> 7, 1.3 -> 15.
BOOST_AUTO_TEST_CASE(metrics_per_group_on_a_toy_split) {
  const std::vector<std::vector<int>> days = {
      {}, {100, 200, 1000, 1100}, {100, 1200}, {100, 200, 300}, {1000, 1001}, {10, 20, 30, 1500, 1600, 1700},
      {990, 995, 999, 1000, 1001}};
  std::vector<test::Row> rows;
  for (size_t u = 1; u < days.size(); ++u)
    for (size_t k = 0; k < days[u].size(); ++k)
      rows.push_back({std::to_string(u), std::to_string(u) + "." + std::to_string(k), std::int64_t(days[u][k]) * 86400});
  ProtocolConfig p;
  p.cutoff = {CutoffChoice::Kind::fixed, 1000 * 86400};
  p.meta_fraction = 0.0;
  const Split split(std::make_shared<const Dataset>(test::make_dataset(rows)), p);
  BOOST_REQUIRE(split.num_items() == 22);
  const std::vector<std::string> order = {"1.2", "6.3", "2.1", "1.0", "5.4", "1.1", "6.4", "2.0", "3.0", "3.1", "3.2",
                                          "5.3", "4.0", "4.1", "1.3", "5.0", "5.1", "5.2", "5.5", "6.0", "6.1", "6.2"};
  std::map<std::string, float> score_of;
  for (size_t r = 0; r < order.size(); ++r) score_of[order[r]] = float(order.size() - r);
  const auto& names = split.dataset().item_names();
  ScoreFn score = [&](const EvalBatch& b) {
    Tensor s = Tensor::zeros(Shape{b.B, 23});
    for (std::int64_t i = 0; i < b.B; ++i)
      for (std::int32_t item = 1; item <= 22; ++item) s[i * 23 + item] = score_of.at(names[size_t(item)]);
    return s;
  };
  EvalOptions o;
  o.maxlen = 10;
  const double l3 = 1.0 / std::log2(3.0), l4 = 1.0 / std::log2(4.0), l6 = 1.0 / std::log2(6.0), l8 = 1.0 / std::log2(8.0);
  struct Expected {
    const char* group;
    std::int64_t users;
    double hr5, hr10, ndcg5, ndcg10;
  };
  auto check = [](const Metrics& m, const Expected& e, const std::string& set) {
    const std::string what = set + " " + e.group;
    BOOST_TEST(m.users == e.users, what);
    BOOST_TEST(std::fabs(m.hr_at(5) - e.hr5) < 1e-12, what << " HR@5 " << m.hr_at(5));
    BOOST_TEST(std::fabs(m.hr_at(10) - e.hr10) < 1e-12, what << " HR@10 " << m.hr_at(10));
    BOOST_TEST(std::fabs(m.ndcg_at(5) - e.ndcg5) < 1e-12, what << " NDCG@5 " << m.ndcg_at(5));
    BOOST_TEST(std::fabs(m.ndcg_at(10) - e.ndcg10) < 1e-12, what << " NDCG@10 " << m.ndcg_at(10));
  };

  const EvalResult v = evaluate(score, split, EvalSet::validation, o);
  BOOST_TEST(v.set == "validation");
  BOOST_TEST((v.users == std::vector<std::int32_t>{1, 2, 5, 6}));
  BOOST_TEST((v.ranks == std::vector<std::int64_t>{1, 3, 12, 2}));
  check(v.metrics.casual, {"casual", 3, 2.0 / 3, 2.0 / 3, (1 + l4) / 3, (1 + l4) / 3}, "validation");
  check(v.metrics.core, {"core", 1, 1.0, 1.0, l3, l3}, "validation");
  check(v.metrics.all, {"all", 4, 3.0 / 4, 3.0 / 4, (1 + l4 + l3) / 4, (1 + l4 + l3) / 4}, "validation");

  const EvalResult t = evaluate(score, split, EvalSet::test, o);
  BOOST_TEST((t.users == std::vector<std::int32_t>{1, 5, 6}));
  BOOST_TEST((t.ranks == std::vector<std::int64_t>{15, 5, 7}));
  check(t.metrics.casual, {"casual", 2, 0.5, 0.5, l6 / 2, l6 / 2}, "test");
  check(t.metrics.core, {"core", 1, 0.0, 1.0, 0.0, l8}, "test");
  check(t.metrics.all, {"all", 3, 1.0 / 3, 2.0 / 3, l6 / 3, (l6 + l8) / 3}, "test");
  const nlohmann::json j = t.to_json();
  BOOST_TEST(j["metrics"]["core"]["hr@10"].get<double>() == 1.0);
  BOOST_TEST(j["metrics"]["casual"]["hr@5"].get<double>() == 0.5);
}

// rank_cases scores the cases in order of history length (length_order); every rank must still
// land on its own case, whatever the block size. The scorer reads each row's last item, so a
// case's scores are known exactly.
BOOST_AUTO_TEST_CASE(cases_scored_in_length_order_keep_their_own_ranks) {
  const std::int32_t V = 50;
  ScoreFn score = [&](const EvalBatch& b) {
    Tensor s = Tensor::zeros(Shape{b.B, V + 1});
    for (std::int64_t r = 0; r < b.B; ++r) {
      const std::int32_t last = b.items[r * b.T + b.T - 1];
      for (std::int32_t i = 1; i <= V; ++i) s[r * (V + 1) + i] = float((last * 31 + i * 17) % 101);
    }
    return s;
  };
  std::vector<std::vector<std::int32_t>> histories;
  std::vector<EvalCase> cases;
  for (std::int32_t u = 0; u < 40; ++u) {
    std::vector<std::int32_t> h;
    for (std::int32_t k = 0; k < 1 + (u * 7) % 13; ++k) h.push_back(1 + (u * 5 + k * 3) % V);  // lengths 1..13, unsorted
    histories.push_back(h);
  }
  for (std::int32_t u = 0; u < 40; ++u) cases.push_back({histories[size_t(u)], 1 + (u * 11) % V, u + 1});
  const std::vector<size_t> order = length_order(cases, 8);
  for (size_t k = 1; k < order.size(); ++k)
    BOOST_TEST(std::min<size_t>(cases[order[k - 1]].history.size(), 8) <= std::min<size_t>(cases[order[k]].history.size(), 8));
  for (std::int64_t block : {1, 7, 256}) {
    EvalOptions o;
    o.maxlen = 8;
    o.block = block;
    const std::vector<std::int64_t> ranks = rank_cases(score, cases, V, o);
    for (size_t c = 0; c < cases.size(); ++c) {
      const std::int32_t last = cases[c].history.back();
      const auto value = [&](std::int32_t i) { return (last * 31 + i * 17) % 101; };
      std::int64_t expected = 1;  // ties count against the target
      for (std::int32_t i = 1; i <= V; ++i)
        if (i != cases[c].target && value(i) >= value(cases[c].target)) ++expected;
      BOOST_TEST(ranks[c] == expected, "case " << c << " with block " << block);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
