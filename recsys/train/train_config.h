// How a recommender is trained (Section 5.1, Appendix A.2): Adam, batch 512, learning rate 1e-3
// (every original's default), validation every few epochs with early stopping on a criterion,
// default NDCG@10 over all users; the treatments select on casual users instead.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "recsys/eval/evaluate.h"
#include "recsys/models/model_config.h"
#include "recsys/settings.h"

namespace l2::recsys {

struct TrainConfig {
  std::int64_t batch_size = 512;   // paper, Section 5.1
  float lr = 1e-3f;                // the originals' default
  float beta1 = 0.9f, beta2 = 0.999f, eps = 1e-8f;
  float weight_decay = 0.0f;       // L2 on every parameter (the originals use none by default)
  bool lazy_adam = true;           // Note [Lazy Adam] in nn/optim.h; false: dense Adam (PyTorch's torch.optim.Adam)
  float clip_norm = 0.0f;          // 0: no clipping
  std::int64_t epochs = 200;       // an upper bound; early stopping usually ends sooner
  std::int64_t eval_every = 5;     // epochs between validations
  std::int64_t patience = 5;       // validations without improvement before stopping
  std::string criterion = "ndcg@10";
  std::string criterion_group = "all";  // "all", "casual" or "core"
  bool bucketing = true;
  std::uint64_t seed = 1;          // data order and negatives
  std::int64_t max_steps = 0;      // 0: no limit
  double max_seconds = 0;          // 0: no limit
  double checkpoint_seconds = 60;  // at most this long between resumable checkpoints
  EvalOptions eval;                // validation protocol

  // The defaults for a model: SASRec's original uses Adam beta2 = 0.98.
  static TrainConfig defaults(ModelKind kind);
  // Every key of the JSON form, its meaning and range; the entries point into this object.
  SettingsTable settings();
  nlohmann::json to_json() const;
  void apply_json(const nlohmann::json& j);  // unknown keys are errors naming the key
  void set(const std::string& key, const std::string& value);

 private:
  void check();
};

}  // namespace l2::recsys
