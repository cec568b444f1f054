#include "l2aug/app/model_options.h"

#include <fstream>
#include <set>

#include "nn/checkpoint.h"

namespace l2::app {

void add_model_options(Command& cmd) {
  cmd.option("model", "sasrec|gru4rec|nextitnet", "the recommender", "sasrec")
      .option("config", "FILE", "JSON settings: {\"model\": {...}, \"train\": {...}}")
      .repeated("set", "KEY=VALUE",
                "one setting, e.g. model.dim=64, train.lr=0.01 or treatment.p=0.3 (a bare key if unambiguous)")
      .option("seed", "N", "seed of the initialisation, dropout, data order and negatives (model.seed and train.seed)");
}

std::string model_settings_help() {
  recsys::ModelConfig model = recsys::ModelConfig::defaults(recsys::ModelKind::sasrec);
  recsys::TrainConfig train = recsys::TrainConfig::defaults(recsys::ModelKind::sasrec);
  return std::string("\n") +
         recsys::settings_help(model.settings(), "model settings (--set model.KEY=VALUE; SASRec's defaults, the "
                                                 "README's model table has the others)") +
         "\n" + recsys::settings_help(train.settings(), "training settings (--set train.KEY=VALUE)");
}

void select_on_casual_users(const Args& args, ModelAndTraining& cfg) {
  for (const std::string& kv : args.all("set"))
    if (kv.find("criterion_group") != std::string::npos) return;
  cfg.train.criterion_group = "casual";
}

nlohmann::json read_json_file(const std::string& path) {
  std::ifstream in(path);
  L2_CHECK(in, "cannot open " << path);
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {  // a syntax error, or a number too large (out_of_range)
    L2_FAIL(path << ": not valid JSON: " << e.what());
  }
}

void write_json_file(const std::string& path, const nlohmann::json& j) {
  nn::write_file_atomically(path, j.dump(2) + "\n");
}

ModelAndTraining model_config_from_args(const Args& args, std::int32_t num_items) {
  const recsys::ModelKind kind = [&] {
    try {
      return recsys::parse_model_kind(args.get("model"));
    } catch (const Error& e) {
      throw UsageError(std::string("--model: ") + e.what());
    }
  }();
  nlohmann::json model = recsys::ModelConfig::defaults(kind).to_json();
  nlohmann::json train = recsys::TrainConfig::defaults(kind).to_json();
  nlohmann::json treatment = nlohmann::json::object();
  if (args.has("config")) {
    const nlohmann::json file = read_json_file(args.get("config"));
    L2_CHECK(file.is_object(), args.get("config") << ": expected {\"model\": {...}, \"train\": {...}}");
    for (auto it = file.begin(); it != file.end(); ++it) {
      L2_CHECK(it.value().is_object(), args.get("config") << ": section '" << it.key() << "' must be a JSON object {...}");
      if (it.key() == "model") {
        L2_CHECK(!it.value().contains("model") || it.value()["model"] == recsys::model_kind_name(kind),
                 args.get("config") << ": model.model is " << it.value()["model"] << " but --model is "
                                    << recsys::model_kind_name(kind));
        model.update(it.value());
      } else if (it.key() == "train") {
        train.update(it.value());
      } else if (it.key() == "treatment") {
        treatment.update(it.value());
      } else {
        L2_FAIL(args.get("config") << ": unknown section '" << it.key() << "' (known: model, train, treatment)");
      }
    }
  }
  recsys::ModelConfig mc = recsys::ModelConfig::from_json(model);
  recsys::TrainConfig tc = recsys::TrainConfig::defaults(kind);
  tc.apply_json(train);
  const std::set<std::string> model_keys = [&] {
    std::set<std::string> s;
    for (auto it = model.begin(); it != model.end(); ++it) s.insert(it.key());
    return s;
  }();
  const nlohmann::json train_json = tc.to_json();
  for (const std::string& kv : args.all("set")) {
    const auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) throw UsageError("--set: expected KEY=VALUE, got '" + kv + "'");
    std::string key = kv.substr(0, eq);
    const std::string value = kv.substr(eq + 1);
    try {
      if (key.rfind("treatment.", 0) == 0) {
        treatment[key.substr(10)] = recsys::setting_value(value);
      } else if (key.rfind("model.", 0) == 0) {
        mc.set(key.substr(6), value);
      } else if (key.rfind("train.", 0) == 0) {
        tc.set(key.substr(6), value);
      } else {
        const bool in_model = model_keys.count(key) > 0, in_train = train_json.contains(key);
        if (in_model && in_train)
          throw UsageError("--set " + key + ": ambiguous, write model." + key + " or train." + key);
        if (in_model) mc.set(key, value);
        else if (in_train) tc.set(key, value);
        else throw UsageError("--set: unknown setting '" + key + "'");
      }
    } catch (const UsageError&) {
      throw;
    } catch (const Error& e) {
      throw UsageError(std::string("--set ") + kv + ": " + e.what());
    }
  }
  if (args.has("seed")) {
    const auto seed = args.get_int("seed");
    if (seed < 0) throw UsageError("--seed: expected a non-negative integer");
    mc.seed = tc.seed = std::uint64_t(seed);
  }
  mc.num_items = num_items;
  return {mc, tc, treatment};
}

}  // namespace l2::app
