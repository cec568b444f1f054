// The reward diagnostic: its variance split on controls whose answer is known, the link between a
// run's rewards and its validation changes, and the objective tracking's shape.
#include <boost/test/unit_test.hpp>
#include <cmath>

#include "../../common/test_util.h"
#include "../l2aug_test_util.h"
#include "l2aug/app/objective_tracking.h"
#include "l2aug/app/policy_profile.h"
#include "l2aug/app/reward_diagnostic.h"

using namespace l2;
using test::l2aug::all_values;
using test::l2aug::Setup;
using test::l2aug::split;

BOOST_AUTO_TEST_SUITE(reward_diagnostic_suite)

BOOST_AUTO_TEST_CASE(pearson_of_known_series) {
  BOOST_TEST(app::pearson({1, 2, 3}, {2, 4, 6}) == 1.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(app::pearson({1, 2, 3}, {3, 2, 1}) == -1.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(app::pearson({1, 2, 3}, {5, 5, 5}) == 0.0);  // no spread
  BOOST_CHECK_THROW(app::pearson({1, 2}, {1}), Error);
}

BOOST_AUTO_TEST_CASE(the_link_sums_rewards_between_validations) {
  std::vector<method::L2AugLogRow> log;
  const auto row = [&](std::int64_t i, double reward, bool validated, double criterion) {
    method::L2AugLogRow r;
    r.iteration = i;
    r.reward = reward;
    r.validated = validated;
    r.criterion = criterion;
    log.push_back(r);
  };
  row(-1, 0.0, true, 0.10);  // the pretrained model
  row(0, 1.0, false, 0);
  row(1, 2.0, true, 0.12);
  row(2, -1.0, false, 0);
  row(3, -1.0, true, 0.11);
  row(4, 3.0, true, 0.15);
  const app::RewardValidationLink link = app::reward_validation_link(log);
  BOOST_TEST(link.intervals == 3);
  BOOST_TEST(link.summed_reward == (std::vector<double>{3.0, -2.0, 3.0}));
  BOOST_TEST(link.validation_change[0] == 0.02, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(link.validation_change[1] == -0.01, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(link.correlation > 0.9);
}

BOOST_AUTO_TEST_CASE(a_keep_all_policy_has_no_variance_from_actions) {
  Setup s;
  s.l2.policy = "keep_all";
  s.l2.samples = 3;
  const std::vector<float> before = all_values(*s.model);
  const app::RewardDiagnostic d = app::diagnose_rewards(*s.model, *s.adam, split(), s.train, s.l2, 3, "keep");
  BOOST_TEST(d.rewards.size() == 3u);
  BOOST_TEST(d.rewards[0].size() == 3u);
  BOOST_TEST(d.var_actions == 0.0);
  BOOST_TEST(d.ties == 1.0);
  BOOST_TEST(d.quantum == 0.0);
  for (const auto& e : d.edited)
    for (double x : e) BOOST_TEST(x == 0.0);
  BOOST_TEST(test::bit_equal(before, all_values(*s.model)));  // the recommender is left as it was
}

BOOST_AUTO_TEST_CASE(a_learned_policy_with_a_smooth_reward_varies_with_its_actions) {
  Setup s;
  s.l2.reward = "loglik";
  s.l2.samples = 4;
  const app::RewardDiagnostic d = app::diagnose_rewards(*s.model, *s.adam, split(), s.train, s.l2, 3, "loglik");
  BOOST_TEST(d.var_actions > 0.0);
  BOOST_TEST(d.ties == 0.0);
  BOOST_TEST(d.quantum > 0.0);
  BOOST_TEST(d.edited[0][0] > 0.2);  // an untrained policy edits about half of the items
  BOOST_TEST(d.edited[0][0] < 0.9);
  BOOST_TEST(d.to_json().at("rewards").size() == 3u);
  s.l2.samples = 1;
  BOOST_CHECK_THROW(app::diagnose_rewards(*s.model, *s.adam, split(), s.train, s.l2, 3, "one"), Error);
}

BOOST_AUTO_TEST_CASE(objective_tracking_measures_every_epoch) {
  Setup s;
  s.train.batch_size = 64;
  const app::ObjectiveTrack t = app::track_objectives(*s.model, split(), s.train, 3);
  BOOST_TEST(t.epochs == (std::vector<std::int64_t>{1, 2, 3}));
  BOOST_TEST(t.validation_ndcg.size() == 3u);
  BOOST_TEST(t.meta.size() == method::meta_objective_names().size());
  for (const auto& [name, values] : t.meta) BOOST_TEST(values.size() == 3u);
  BOOST_TEST(t.meta.at("loglik")[2] > t.meta.at("loglik")[0]);  // training raises the likelihood of held-out items
  BOOST_TEST(t.to_json().at("correlations").contains("loglik"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(policy_profile_suite)

BOOST_AUTO_TEST_CASE(a_profile_counts_every_decision_once_per_view) {
  method::AugmentorConfig ac;
  ac.dim = 8;
  ac.maxlen = 30;
  const method::Augmentor policy(ac, split().num_items());
  const nlohmann::json p = app::policy_profile(split(), policy);
  const double decisions = p.at("decisions").get<double>();
  BOOST_TEST(decisions > 0.0);
  for (const char* view : {"popularity_decile", "from_end", "continuity"}) {
    double sum = 0.0, weighted = 0.0;
    const auto counts = p.at(view).at("decisions").get<std::vector<double>>();
    const auto means = p.at(view).at("p_edit").get<std::vector<double>>();
    for (size_t b = 0; b < counts.size(); ++b) {
      sum += counts[b];
      weighted += counts[b] * means[b];
      BOOST_TEST((means[b] >= 0.0 && means[b] <= 1.0), view);
    }
    BOOST_TEST(sum == decisions, view);
    BOOST_TEST(weighted / sum == p.at("mean_p_edit").get<double>(), boost::test_tools::tolerance(1e-9));
  }
  BOOST_TEST(p.at("from_end").at("decisions")[0].get<double>() == p.at("sequences").get<double>());  // one last item each
  BOOST_TEST(app::profile_agreement(p, p) == 1.0, boost::test_tools::tolerance(1e-12));
  method::AugmentorConfig other = ac;
  other.seed = 2;
  const nlohmann::json q = app::policy_profile(split(), method::Augmentor(other, split().num_items()));
  BOOST_TEST(std::fabs(app::profile_agreement(p, q)) <= 1.0);
}

BOOST_AUTO_TEST_SUITE_END()
