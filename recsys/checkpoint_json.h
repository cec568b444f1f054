// JSON kept in checkpoint entries: the model, training and L2Aug settings and the run logs.
// nlohmann's exceptions say what is wrong with a text but not which text it was; a damaged or
// foreign entry must name itself (and nn::read_checkpoint_entries adds the file).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "nn/state_dict.h"
#include "tensor/check.h"

namespace l2::recsys {

// Entry `key` of `s`, parsed and converted to T. Throws an l2::Error naming the entry when it is
// missing, is not JSON, or does not have T's shape.
template <class T = nlohmann::json>
T checkpoint_json(const nn::StateDict& s, const std::string& key) {
  try {
    return nlohmann::json::parse(s.get(key)).get<T>();
  } catch (const nlohmann::json::exception& e) {
    L2_FAIL("checkpoint entry '" << key << "' is not what this version writes (" << e.what() << ")");
  }
}

}  // namespace l2::recsys
