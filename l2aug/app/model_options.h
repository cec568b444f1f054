// The model and training options of `train` and `treat`: --model, --config file.json, repeated
// --set key=value, --seed. A configuration file is {"model": {...}, "train": {...}, "treatment":
// {...}}; a --set key is "model.<key>", "train.<key>" or "treatment.<key>", or a bare key that only
// the model or the training settings have. Treatment settings are passed on unparsed (the
// treatment checks them). Later sources win:
// defaults of the model, then the file, then each --set in order. Unknown keys are errors naming
// the key.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "l2aug/app/cli.h"
#include "recsys/models/model_config.h"
#include "recsys/train/train_config.h"

namespace l2::app {

struct ModelAndTraining {
  recsys::ModelConfig model;
  recsys::TrainConfig train;
  nlohmann::json treatment = nlohmann::json::object();  // "treatment" section and treatment.* settings, unparsed
  nlohmann::json to_json() const {
    return {{"model", model.to_json()}, {"train", train.to_json()}, {"treatment", treatment}};
  }
};

void add_model_options(Command& cmd);
// The model and training settings with their meaning and defaults (SASRec's), for --help.
std::string model_settings_help();
// num_items comes from the data.
ModelAndTraining model_config_from_args(const Args& args, std::int32_t num_items);

// Note [Fair comparison] in l2aug/app/treatment_run.h: treatments select on casual users' validation
// unless the command line sets train.criterion_group.
void select_on_casual_users(const Args& args, ModelAndTraining& cfg);

// Reads a JSON file; errors name the file and the position of a syntax error.
nlohmann::json read_json_file(const std::string& path);
// Writes JSON atomically (temporary file, fsync, rename), pretty-printed.
void write_json_file(const std::string& path, const nlohmann::json& j);

}  // namespace l2::app
