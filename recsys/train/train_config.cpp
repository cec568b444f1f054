#include "recsys/train/train_config.h"

#include "recsys/json_int.h"

namespace l2::recsys {

TrainConfig TrainConfig::defaults(ModelKind kind) {
  TrainConfig c;
  if (kind == ModelKind::sasrec) c.beta2 = 0.98f;  // kang205/SASRec model.py
  return c;
}

nlohmann::json TrainConfig::to_json() const {
  return {{"batch_size", batch_size}, {"lr", lr}, {"beta1", beta1}, {"beta2", beta2}, {"eps", eps},
          {"weight_decay", weight_decay}, {"clip_norm", clip_norm}, {"epochs", epochs}, {"eval_every", eval_every},
          {"patience", patience}, {"criterion", criterion}, {"criterion_group", criterion_group},
          {"bucketing", bucketing}, {"seed", seed}, {"max_steps", max_steps}, {"max_seconds", max_seconds},
          {"checkpoint_seconds", checkpoint_seconds}, {"eval_exclude_history", eval.exclude_history},
          {"eval_sampled", eval.sampled}, {"eval_negatives", eval.negatives}, {"eval_block", eval.block}};
}

void TrainConfig::apply_json(const nlohmann::json& j) {
  L2_CHECK(j.is_object(), "training configuration must be a JSON object");
  TrainConfig c = *this;  // applied to a copy: a rejected setting leaves this configuration as it was
  c.apply_unchecked(j);
  c.check();
  *this = c;
}

void TrainConfig::apply_unchecked(const nlohmann::json& j) {
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& k = it.key();
    const nlohmann::json& v = it.value();
    try {
      if (k == "batch_size") batch_size = json_int<std::int64_t>(v);
      else if (k == "lr") lr = v.get<float>();
      else if (k == "beta1") beta1 = v.get<float>();
      else if (k == "beta2") beta2 = v.get<float>();
      else if (k == "eps") eps = v.get<float>();
      else if (k == "weight_decay") weight_decay = v.get<float>();
      else if (k == "clip_norm") clip_norm = v.get<float>();
      else if (k == "epochs") epochs = json_int<std::int64_t>(v);
      else if (k == "eval_every") eval_every = json_int<std::int64_t>(v);
      else if (k == "patience") patience = json_int<std::int64_t>(v);
      else if (k == "criterion") criterion = v.get<std::string>();
      else if (k == "criterion_group") criterion_group = v.get<std::string>();
      else if (k == "bucketing") bucketing = v.get<bool>();
      else if (k == "seed") seed = json_int<std::uint64_t>(v);
      else if (k == "max_steps") max_steps = json_int<std::int64_t>(v);
      else if (k == "max_seconds") max_seconds = v.get<double>();
      else if (k == "checkpoint_seconds") checkpoint_seconds = v.get<double>();
      else if (k == "eval_exclude_history") eval.exclude_history = v.get<bool>();
      else if (k == "eval_sampled") eval.sampled = v.get<bool>();
      else if (k == "eval_negatives") eval.negatives = json_int<std::int64_t>(v);
      else if (k == "eval_block") eval.block = json_int<std::int64_t>(v);
      else L2_FAIL("unknown training setting '" << k << "'");
    } catch (const nlohmann::json::exception& e) {
      L2_FAIL("training setting '" << k << "': " << e.what());
    }
  }
}

void TrainConfig::check() const {
  L2_CHECK(batch_size > 0, "training setting 'batch_size' must be positive, got " << batch_size);
  L2_CHECK(lr > 0, "training setting 'lr' must be positive, got " << lr);
  L2_CHECK(epochs >= 0 && eval_every > 0 && patience > 0,
           "training settings 'epochs' (>= 0), 'eval_every' and 'patience' (> 0) are out of range");
  L2_CHECK(criterion_group == "all" || criterion_group == "casual" || criterion_group == "core",
           "training setting 'criterion_group' must be all, casual or core, got '" << criterion_group << "'");
  Metrics probe(eval.ks);
  probe.value(criterion);  // throws for an unknown criterion
  L2_CHECK(eval.block > 0 && eval.negatives > 0, "training settings 'eval_block' and 'eval_negatives' must be positive");
}

void TrainConfig::set(const std::string& key, const std::string& value) {
  nlohmann::json v;
  try {
    v = nlohmann::json::parse(value);
  } catch (const nlohmann::json::exception&) {
    v = value;
  }
  apply_json(nlohmann::json{{key, v}});
}

}  // namespace l2::recsys
