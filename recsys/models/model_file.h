// Trained-model files: the parameters, the model configuration, and the identity of the data the
// model was trained on (dataset name and fingerprint, protocol, raw id maps, every user's item
// history), so that `l2aug eval` can refuse a model trained on other data and `l2aug recommend`
// can translate raw ids both ways without the data at hand.
#pragma once

#include <memory>
#include <string>

#include "nn/state_dict.h"
#include "recsys/data/split.h"
#include "recsys/models/recommender.h"

namespace l2::recsys {

// The model's parameters and configuration, plus the identity of `split`'s data, as a StateDict
// (merged into training checkpoints too).
nn::StateDict model_state(const SequentialRecommender& model, const Split& split);
void save_model(const std::string& path, const SequentialRecommender& model, const Split& split);

struct LoadedModel {
  std::unique_ptr<SequentialRecommender> model;
  nn::StateDict state;  // everything the file held
  std::string path;
  std::vector<std::string> item_names, user_names;  // raw ids by dense id; index 0 is padding
};
// Rebuilds the model from the file's configuration and loads its parameters. Throws an l2::Error
// naming the file for anything that is not a model file or does not match its configuration.
LoadedModel load_model(const std::string& path);

// The model configuration a checkpoint or model file holds, read through today's defaults: a
// model setting added since the file was written takes its default.
ModelConfig saved_model_config(const nn::StateDict& s);
// Throws, naming `path` and showing both, unless `s` was written for a model configured as `now`.
void check_same_model_config(const nn::StateDict& s, const ModelConfig& now, const std::string& path);

// Throws unless the model file was trained on exactly this data and protocol, saying what differs.
void check_same_data(const LoadedModel& loaded, const Split& split);

// Dense item ids for raw ids through the file's id map; throws naming the first unknown raw id.
std::vector<std::int32_t> item_ids(const LoadedModel& loaded, const std::vector<std::string>& raw);
std::string item_name(const LoadedModel& loaded, std::int32_t id);
// A user's whole history (dense item ids, oldest first) by raw user id; throws if unknown.
std::vector<std::int32_t> user_history(const LoadedModel& loaded, const std::string& raw_user);

}  // namespace l2::recsys
