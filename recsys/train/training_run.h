// What every training run shares, whatever its unit of work (the trainer's epochs, Algorithm 1's
// iterations): early stopping on a validation criterion with the best parameters kept, the time
// budget, the checkpoint cadence, the progress line, and the resumable state of all of these. The
// loops that use it (trainer.h, l2aug/method/algorithm1.h) keep only what differs: what one unit
// of work is and what their log rows hold.
#pragma once

#include <initializer_list>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "nn/module.h"
#include "nn/state_dict.h"
#include "recsys/train/progress.h"

namespace l2::recsys {

class TrainingRun {
 public:
  explicit TrainingRun(std::string label);  // the progress lines' label
  // A module whose parameters at the best validation are kept, with the prefix of its snapshot in
  // checkpoints (the trainer keeps the recommender; Algorithm 1 also its policy).
  void keep(const std::string& prefix, nn::Module& module);

  // After a validation at `at` (an epoch, an iteration) with criterion value c (higher is better):
  // a new best snapshots the kept modules and resets the patience count. Returns whether it was.
  bool observe(double c, std::int64_t at);
  bool patience_exhausted(std::int64_t patience) const { return bad_evals_ >= patience; }
  // Loads the best snapshot into the kept modules, if any validation ran.
  void restore_best();

  double seconds() const { return seconds_before_ + progress_.elapsed(); }  // earlier processes included
  bool out_of_time(double max_seconds) const { return max_seconds > 0 && seconds() >= max_seconds; }
  bool checkpoint_due(double every_seconds) const { return progress_.elapsed() - last_checkpoint_ >= every_seconds; }
  void checkpointed() { last_checkpoint_ = progress_.elapsed(); }

  double best() const { return best_; }
  std::int64_t best_at() const { return best_at_; }
  bool improved() const { return bad_evals_ == 0; }  // the last validation was the best so far
  Progress& progress() { return progress_; }

  // Checkpoint state: <prefix>best, <prefix><at_key>, <prefix>bad_evals, <prefix>seconds, and each
  // snapshot under its own prefix.
  void save(nn::StateDict& s, const std::string& prefix, const std::string& at_key) const;
  void load(const nn::StateDict& s, const std::string& prefix, const std::string& at_key);

 private:
  std::vector<std::pair<std::string, nn::Module*>> kept_;
  std::vector<std::map<std::string, Tensor>> best_params_;  // one per kept module; empty before a validation
  double best_ = -1.0;
  std::int64_t best_at_ = -1, bad_evals_ = 0;
  double seconds_before_ = 0.0;  // training time of earlier processes (after a resume)
  double last_checkpoint_ = 0.0;
  Progress progress_;
};

// A resumed run must have the settings its checkpoint was written with (`saved`, the settings the
// checkpoint keeps, read through today's defaults), except the run limits `free_keys` (steps,
// iterations, seconds, checkpoint interval), which may change between processes. Otherwise throws, naming the checkpoint and
// showing both ("<checkpoint> was written with other <what> settings").
void check_resumable_settings(const std::string& checkpoint, const std::string& what, const nlohmann::json& saved,
                              const nlohmann::json& now, std::initializer_list<const char*> free_keys);

// The validation columns of a training log (CSV): ",valid_<group>_<metric>" for the casual, core
// and all groups, and their values from GroupMetrics JSON (0 where absent: a row without validation).
std::string validation_csv_header(const std::vector<std::string>& metrics);
std::string validation_csv_values(const nlohmann::json& validation, const std::vector<std::string>& metrics);

}  // namespace l2::recsys
