#include "recsys/train/train_config.h"

namespace l2::recsys {

TrainConfig TrainConfig::defaults(ModelKind kind) {
  TrainConfig c;
  if (kind == ModelKind::sasrec) c.beta2 = 0.98f;  // kang205/SASRec model.py
  return c;
}

SettingsTable TrainConfig::settings() {
  return {
      {"batch_size", &batch_size, "sequences per step", Limit::positive},
      {"lr", &lr, "Adam learning rate", Limit::positive},
      {"beta1", &beta1, "Adam beta1"},
      {"beta2", &beta2, "Adam beta2 (SASRec: 0.98)"},
      {"eps", &eps, "Adam epsilon"},
      {"weight_decay", &weight_decay, "L2 penalty on every parameter"},
      {"lazy_adam", &lazy_adam, "Adam updates only the item-table rows a step touched (false: every row, as PyTorch)"},
      {"clip_norm", &clip_norm, "gradient norm clipping, 0: none"},
      {"epochs", &epochs, "most epochs (early stopping usually ends sooner)", Limit::non_negative},
      {"eval_every", &eval_every, "epochs between validations", Limit::positive},
      {"patience", &patience, "validations without improvement before stopping", Limit::positive},
      {"criterion", &criterion, "validation metric selecting the best model (hr@K, ndcg@K, ...)"},
      {"criterion_group", &criterion_group, "users the criterion is measured on (treat: casual unless set)",
       Limit::any, {"all", "casual", "core"}},
      {"bucketing", &bucketing, "batch sequences of similar length together"},
      {"seed", &seed, "seed of the data order and negatives"},
      {"max_steps", &max_steps, "most training steps, 0: no limit"},
      {"max_seconds", &max_seconds, "most seconds of training, 0: no limit"},
      {"checkpoint_seconds", &checkpoint_seconds, "most seconds between resumable checkpoints"},
      {"eval_exclude_history", &eval.exclude_history, "validation: history items cannot be recommended"},
      {"eval_sampled", &eval.sampled, "validation: rank among eval_negatives sampled items instead of all"},
      {"eval_negatives", &eval.negatives, "validation: sampled items with eval_sampled", Limit::positive},
      {"eval_block", &eval.block, "validation: users scored at once", Limit::positive},
  };
}

nlohmann::json TrainConfig::to_json() const {
  TrainConfig c = *this;  // settings() points into its object
  return settings_json(c.settings());
}

void TrainConfig::apply_json(const nlohmann::json& j) {
  L2_CHECK(j.is_object(), "training configuration must be a JSON object");
  TrainConfig c = *this;  // applied to a copy: a rejected setting leaves this configuration as it was
  apply_settings(c.settings(), j, "training");
  c.check();
  *this = c;
}

void TrainConfig::check() {
  check_settings(settings(), "training");
  Metrics probe(eval.ks);
  probe.value(criterion);  // throws for an unknown criterion
}

void TrainConfig::set(const std::string& key, const std::string& value) {
  apply_json(nlohmann::json{{key, setting_value(value)}});
}

}  // namespace l2::recsys
