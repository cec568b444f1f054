// The settings tables of L2Aug and the treatments: JSON round trips, and the --help text of
// `train` and `treat` lists every key of every table (so a key added to a table is documented).
#include <boost/test/unit_test.hpp>

#include "../../common/settings_check.h"
#include "../../recsys/recsys_test_util.h"
#include "l2aug/app/model_options.h"
#include "l2aug/app/treatment_run.h"

using namespace l2;
using namespace l2::app;

namespace {
const TreatmentKind kKinds[] = {TreatmentKind::none, TreatmentKind::random, TreatmentKind::focused,
                                TreatmentKind::adversarial, TreatmentKind::l2aug};

TreatmentSpec spec_of(TreatmentKind k) {
  TreatmentSpec t;
  t.kind = k;
  return t;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(settings_tables)

BOOST_AUTO_TEST_CASE(l2aug_and_treatment_tables_round_trip) {
  test::check_round_trip(method::L2AugConfig(), [](const nlohmann::json& j) {
    method::L2AugConfig c;
    c.apply_json(j);
    return c;
  });
  for (TreatmentKind k : kKinds) {
    BOOST_TEST_CONTEXT(treatment_name(k)) {
      test::check_round_trip(spec_of(k), [k](nlohmann::json j) {
        BOOST_TEST(j.at("name") == treatment_name(k));
        return TreatmentSpec::parse(k, k == TreatmentKind::l2aug ? j.at("l2aug") : (j.erase("name"), j));
      });
    }
  }
}

BOOST_AUTO_TEST_CASE(treatment_errors_name_the_treatment_and_setting) {
  auto error_of = [](TreatmentKind k, const nlohmann::json& j) {
    return test::error_of([&] { TreatmentSpec::parse(k, j); });
  };
  BOOST_TEST(error_of(TreatmentKind::random, {{"x", 1}}) == "treatment 'random' has no setting 'x'");
  BOOST_TEST(error_of(TreatmentKind::none, {{"p", 1}}) == "treatment 'none' has no setting 'p'");
  BOOST_TEST(error_of(TreatmentKind::random, {{"mode", "swap"}}) ==
             "treatment setting 'mode' must be add or replace, got 'swap'");
  BOOST_TEST(error_of(TreatmentKind::random, {{"p", 1}}) ==
             "treatment setting 'p' must be in [0, 1) (or 1 with mode replace), got 1");
  BOOST_TEST(error_of(TreatmentKind::random, {{"p", 1}, {"mode", "replace"}}).empty());
  BOOST_TEST(error_of(TreatmentKind::adversarial, {{"hidden", 0}}) == "treatment setting 'hidden' must be positive, got 0");
  BOOST_TEST(error_of(TreatmentKind::adversarial, {{"warmup", 2.5}}).find("treatment setting 'warmup': ") == 0u);
  BOOST_TEST(error_of(TreatmentKind::l2aug, {{"x", 1}}) == "unknown L2Aug setting 'x'");
  BOOST_TEST(error_of(TreatmentKind::l2aug, {{"reward", "mrr@5"}}) ==
             "L2Aug setting 'reward' must be hr, ndcg, hr+ndcg, mrr, ndcg_full or loglik, got 'mrr@5'");
  BOOST_TEST(error_of(TreatmentKind::l2aug, {{"actions", "keep"}}) ==
             "the action set needs at least two actions, got 'keep'");
}

BOOST_AUTO_TEST_CASE(help_lists_every_key_of_every_table) {
  const std::string help = model_settings_help() + treatment_settings_help();
  auto listed = [&](recsys::SettingsTable table, const std::string& title) {
    const size_t section = help.find(title);
    BOOST_TEST_REQUIRE(section != std::string::npos, title);
    for (const recsys::SettingEntry& s : table)
      BOOST_TEST(help.find("\n  " + s.key + "\n", section) != std::string::npos, title << ": " << s.key);
  };
  recsys::ModelConfig model;
  recsys::TrainConfig train;
  listed(model.settings(), "model settings");
  listed(train.settings(), "training settings");
  for (TreatmentKind k : kKinds) {
    if (k == TreatmentKind::none) continue;  // no settings
    TreatmentSpec t = spec_of(k);
    listed(t.settings(), std::string("treatment ") + treatment_name(k) + " settings");
  }
}

BOOST_AUTO_TEST_SUITE_END()
