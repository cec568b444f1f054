// The settings tables of the model and training settings: JSON round trips, the messages of
// rejected values, and the help text.
#include <boost/test/unit_test.hpp>

#include "../common/settings_check.h"
#include "recsys/models/model_config.h"
#include "recsys/train/train_config.h"
#include "recsys_test_util.h"

using namespace l2;
using namespace l2::recsys;
using l2::test::error_of;

BOOST_AUTO_TEST_SUITE(settings)

BOOST_AUTO_TEST_CASE(model_and_training_tables_round_trip) {
  // GRU4Rec: the changed settings move to NextItNet, where a changed dim needs no divisible heads.
  test::check_round_trip(ModelConfig::defaults(ModelKind::gru4rec),
                         [](const nlohmann::json& j) { return ModelConfig::from_json(j); });
  test::check_round_trip(TrainConfig::defaults(ModelKind::sasrec), [](const nlohmann::json& j) {
    TrainConfig t;
    t.apply_json(j);
    return t;
  });
}

BOOST_AUTO_TEST_CASE(json_types_are_those_of_the_members) {
  const nlohmann::json m = ModelConfig::defaults(ModelKind::sasrec).to_json();
  BOOST_TEST(m.at("model") == "sasrec");
  BOOST_TEST(m.at("dim").is_number_integer());
  BOOST_TEST(m.at("seed").is_number_unsigned());
  BOOST_TEST(m.at("dropout").get<double>() == double(0.5f));
  BOOST_TEST(m.at("dilations").is_array());
  BOOST_TEST(m.at("init") == "xavier_uniform");
  BOOST_TEST(m.at("dropout_at") == "output");
  BOOST_TEST(m.at("gru_init") == "per_gate");
  const nlohmann::json t = TrainConfig::defaults(ModelKind::sasrec).to_json();
  BOOST_TEST(t.at("lr").get<double>() == double(1e-3f));  // the float's value, as before the tables
  BOOST_TEST(t.at("eval_exclude_history") == false);
  BOOST_TEST(t.size() == 22u);
  BOOST_TEST(t.at("lazy_adam") == true);
  BOOST_TEST(m.size() == 16u);
}

BOOST_AUTO_TEST_CASE(rejected_values_name_the_setting) {
  TrainConfig t;
  BOOST_TEST(error_of([&] { t.set("lr", "0"); }) == "training setting 'lr' must be positive, got 0");
  BOOST_TEST(error_of([&] { t.set("x", "1"); }) == "unknown training setting 'x'");
  BOOST_TEST(error_of([&] { t.set("criterion_group", "some"); }) ==
             "training setting 'criterion_group' must be all, casual or core, got 'some'");
  BOOST_TEST(error_of([&] { t.set("bucketing", "3"); }).find("training setting 'bucketing': ") == 0u);
  BOOST_TEST(t.lr == 1e-3f);  // a rejected setting leaves the configuration as it was
  ModelConfig m;
  BOOST_TEST(error_of([&] { m.set("dilations", "[1,-2]"); }) == "model setting 'dilations' must be positive, got -2");
  BOOST_TEST(error_of([&] { m.set("dropout", "1"); }) == "model setting 'dropout' must be in [0, 1), got 1");
  BOOST_TEST(error_of([&] { m.set("init", "zeros"); }).find("unknown init scheme 'zeros'") == 0u);
  BOOST_TEST(error_of([&] { m.set("dimension", "3"); }) == "unknown model setting 'dimension'");
  BOOST_TEST(error_of([&] { m.set("dropout_at", "hidden"); }).find("'hidden'") != std::string::npos);
  m.set("dropout_at", "input");
  BOOST_TEST(m.to_json().at("dropout_at") == "input");
  BOOST_TEST(error_of([&] { m.set("gru_init", "torch"); }).find("'torch'") != std::string::npos);
  m.set("gru_init", "pytorch");
  BOOST_TEST(m.to_json().at("gru_init") == "pytorch");
  BOOST_TEST((ModelConfig::from_json(m.to_json()).gru_init == GruInit::pytorch));
}

BOOST_AUTO_TEST_CASE(help_lists_every_key_with_its_default) {
  ModelConfig m;
  const std::string help = settings_help(m.settings(), "model settings");
  for (const SettingEntry& s : m.settings()) BOOST_TEST(help.find("\n  " + s.key + "\n") != std::string::npos, s.key);
  BOOST_TEST(help.find("  dilations\n") != std::string::npos);
  BOOST_TEST(help.find("[default: 1,2,1,2,1,2,1,2; positive]") != std::string::npos, help);
}

BOOST_AUTO_TEST_SUITE_END()
