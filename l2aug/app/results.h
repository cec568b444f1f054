// What every result file of the project carries: a schema version, the build facts of
// `l2aug --version`, the configuration, and the identity of the data and protocol, so that every
// number traces to the code and the split that produced it.
#pragma once

#include <nlohmann/json.hpp>

#include "recsys/data/prepare.h"
#include "recsys/eval/evaluate.h"
#include "recsys/models/recommender.h"

namespace l2::app {

inline constexpr const char* kResultSchema = "l2aug.result/1";

// Sets j["build"] to the build facts and, for a build from a modified tree, j["warning"] to
// modified_tree_warning(), so that such a file says what it is at its top.
void stamp_build(nlohmann::json& j);

// {"schema", "build", ["warning",] "config", "data": {name, fingerprint, source, protocol, cutoff, groups}}
nlohmann::json run_description(const nlohmann::json& config, const recsys::Split& split,
                               const recsys::DataConfig& data_config);

// Full-ranking (or sampled, per options) evaluation of a model in eval mode.
recsys::EvalResult evaluate_model(recsys::SequentialRecommender& model, const recsys::Split& split, recsys::EvalSet set,
                                  recsys::EvalOptions options);

}  // namespace l2::app
