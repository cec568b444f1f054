// The meta objectives of the L2Aug reward: their values from known ranks, ranks as the evaluation
// computes them, log-likelihoods as a log softmax over all items, the same for any thread count.
#include <boost/test/unit_test.hpp>
#include <cmath>

#include "../../common/test_util.h"
#include "../l2aug_test_util.h"
#include "l2aug/method/meta_objective.h"
#include "recsys/eval/evaluate.h"
#include "tensor/functional.h"
#include "tensor/parallel.h"

using namespace l2;
using namespace l2::recsys;
using test::l2aug::Setup;
using test::l2aug::split;

BOOST_AUTO_TEST_SUITE(meta_objective_suite)

BOOST_AUTO_TEST_CASE(values_from_known_ranks) {
  method::MetaScores s;
  s.ranks = {1, 3, 20};
  s.log_likelihood = {-1.0, -2.0, -6.0};
  using method::MetaObjective;
  BOOST_TEST(method::meta_value(MetaObjective::hr, 10, s) == 2.0 / 3.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(method::meta_value(MetaObjective::ndcg, 10, s) == (1.0 + 0.5) / 3.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(method::meta_value(MetaObjective::hr_ndcg, 10, s) == 2.0 / 3.0 + 0.5, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(method::meta_value(MetaObjective::mrr, 10, s) == (1.0 + 1.0 / 3.0 + 0.05) / 3.0,
             boost::test_tools::tolerance(1e-12));
  BOOST_TEST(method::meta_value(MetaObjective::ndcg_full, 10, s) == (1.0 + 0.5 + 1.0 / std::log2(21.0)) / 3.0,
             boost::test_tools::tolerance(1e-12));
  BOOST_TEST(method::meta_value(MetaObjective::loglik, 10, s) == -3.0, boost::test_tools::tolerance(1e-12));
  BOOST_CHECK_THROW(method::meta_value(MetaObjective::hr, 10, method::MetaScores{}), Error);
}

BOOST_AUTO_TEST_CASE(names_round_trip_and_unknown_names_are_refused) {
  for (const std::string& n : method::meta_objective_names())
    BOOST_TEST(method::meta_objective_name(method::parse_meta_objective(n)) == n);
  BOOST_CHECK_THROW(method::parse_meta_objective("auc"), Error);
}

BOOST_AUTO_TEST_CASE(ranks_match_the_evaluation_and_likelihoods_a_log_softmax) {
  Setup s;
  s.model->eval();
  const std::vector<EvalCase> cases = eval_cases(split(), EvalSet::meta);
  BOOST_TEST_REQUIRE(cases.size() > 20u);
  EvalOptions o;
  o.maxlen = s.model->config().maxlen;
  o.block = 16;  // several blocks
  const method::MetaScores m = method::score_meta(*s.model, cases, split().num_items(), o, true);
  const SequentialRecommender& model = *s.model;
  const std::vector<std::int64_t> ranks = rank_cases(
      [&](const EvalBatch& b) { return model.score_all_last(b.items, b.positions); }, cases, split().num_items(), o);
  BOOST_TEST(m.ranks == ranks);
  const EvalBatch batch = make_eval_batch(std::span<const EvalCase>(cases).first(4), o.maxlen);
  const Tensor scores = model.score_all_last(batch.items, batch.positions);
  const std::int64_t V = split().num_items();
  for (std::int64_t b = 0; b < 4; ++b) {
    Tensor row = Tensor::zeros(Shape{1, V});
    for (std::int64_t c = 0; c < V; ++c) row[c] = scores[b * (V + 1) + 1 + c];
    const Tensor logp = fn::log_softmax(row);
    BOOST_TEST(m.log_likelihood[size_t(b)] == double(logp[cases[size_t(b)].target - 1]), boost::test_tools::tolerance(1e-5));
  }
  // Without likelihoods the ranks are the same and the likelihoods are not computed.
  const method::MetaScores r = method::score_meta(*s.model, cases, split().num_items(), o, false);
  BOOST_TEST(r.ranks == m.ranks);
  BOOST_TEST(r.log_likelihood[0] == 0.0);
}

BOOST_AUTO_TEST_CASE(the_same_for_any_thread_count) {
  Setup s;
  s.model->eval();
  const std::vector<EvalCase> cases = eval_cases(split(), EvalSet::meta);
  EvalOptions o;
  o.maxlen = s.model->config().maxlen;
  const int threads = num_threads();
  set_num_threads(1);
  const method::MetaScores one = method::score_meta(*s.model, cases, split().num_items(), o, true);
  set_num_threads(2);
  const method::MetaScores two = method::score_meta(*s.model, cases, split().num_items(), o, true);
  set_num_threads(threads);
  BOOST_TEST(one.ranks == two.ranks);
  BOOST_TEST(test::bit_equal(one.log_likelihood, two.log_likelihood));
}

BOOST_AUTO_TEST_SUITE_END()
