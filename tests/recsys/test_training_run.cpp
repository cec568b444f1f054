// The bookkeeping every training run shares (recsys/train/training_run.h): early stopping counts
// validations without improvement, the best parameters are snapshots (not aliases) restored at
// the end, and the state survives a checkpoint round trip.
#include <boost/test/unit_test.hpp>

#include "nn/layers.h"
#include "nn/state_dict.h"
#include "recsys/train/training_run.h"

using namespace l2;
using namespace l2::recsys;

namespace {
float first_weight(const nn::Linear& m) { return m.weight()->value.data()[0]; }
void set_first_weight(nn::Linear& m, float v) { m.weight()->value.data()[0] = v; }
}  // namespace

BOOST_AUTO_TEST_SUITE(training_run_suite)

BOOST_AUTO_TEST_CASE(early_stopping_keeps_and_restores_the_best_parameters) {
  nn::Linear model(2, 2);
  TrainingRun run("test");
  run.keep("best.", model);
  set_first_weight(model, 1.0f);
  BOOST_TEST(run.observe(0.5, 1));
  set_first_weight(model, 2.0f);  // a later, worse state
  BOOST_TEST(!run.observe(0.4, 2));
  BOOST_TEST(!run.improved());
  BOOST_TEST(!run.patience_exhausted(2));
  BOOST_TEST(!run.observe(0.5, 3));  // equal is no improvement
  BOOST_TEST(run.patience_exhausted(2));
  BOOST_TEST(run.best() == 0.5);
  BOOST_TEST(run.best_at() == 1);
  run.restore_best();
  BOOST_TEST(first_weight(model) == 1.0f);
}

BOOST_AUTO_TEST_CASE(no_validation_leaves_the_parameters_alone) {
  nn::Linear model(2, 2);
  TrainingRun run("test");
  run.keep("best.", model);
  set_first_weight(model, 3.0f);
  run.restore_best();
  BOOST_TEST(first_weight(model) == 3.0f);
  BOOST_TEST(!run.out_of_time(0.0));  // 0: no limit
}

BOOST_AUTO_TEST_CASE(state_round_trips_through_a_checkpoint) {
  nn::Linear model(2, 2), other(2, 2);
  TrainingRun run("test");
  run.keep("best_model.", model);
  set_first_weight(model, 1.25f);
  run.observe(0.123456789012345678, 7);
  run.observe(0.1, 8);
  nn::StateDict s;
  run.save(s, "trainer.", "best_epoch");
  BOOST_TEST(s.get_int("trainer.best_epoch") == 7);
  BOOST_TEST(s.tensors.count("best_model.weight") == 1u);

  TrainingRun resumed("test");
  resumed.keep("best_model.", other);
  resumed.load(s, "trainer.", "best_epoch");
  BOOST_TEST(resumed.best() == 0.123456789012345678);  // exact
  BOOST_TEST(resumed.best_at() == 7);
  BOOST_TEST(!resumed.patience_exhausted(2));
  resumed.observe(0.1, 9);
  BOOST_TEST(resumed.patience_exhausted(2));  // the bad validation before the checkpoint counts
  BOOST_TEST(resumed.seconds() >= s.get_double("trainer.seconds"));
  resumed.restore_best();
  BOOST_TEST(first_weight(other) == 1.25f);
}

BOOST_AUTO_TEST_CASE(validation_columns_of_a_log) {
  const std::vector<std::string> metrics = {"hr@10", "ndcg@10"};
  BOOST_TEST(validation_csv_header(metrics) ==
             ",valid_casual_hr@10,valid_casual_ndcg@10,valid_core_hr@10,valid_core_ndcg@10,valid_all_hr@10,"
             "valid_all_ndcg@10");
  const nlohmann::json v = {{"casual", {{"hr@10", 0.5}, {"ndcg@10", 0.25}}}, {"all", {{"hr@10", 0.75}}}};
  BOOST_TEST(validation_csv_values(v, metrics) == ",0.5,0.25,0,0,0.75,0");
  BOOST_TEST(validation_csv_values(nlohmann::json(), metrics) == ",0,0,0,0,0,0");
}

BOOST_AUTO_TEST_SUITE_END()
