#include "recsys/treatments/random_drop.h"

namespace l2::recsys {

std::vector<std::int32_t> random_drop(std::span<const std::int32_t> sequence, float p, Generator& g) {
  std::vector<bool> keep(sequence.size());
  std::int64_t kept = 0;
  for (size_t i = 0; i < sequence.size(); ++i) {
    keep[i] = !(g.uniform() < p);
    kept += keep[i];
  }
  for (std::int64_t i = std::int64_t(sequence.size()) - 1; i >= 0 && kept < 2; --i)  // the minimum-length rule
    if (!keep[size_t(i)]) {
      keep[size_t(i)] = true;
      ++kept;
    }
  std::vector<std::int32_t> out;
  for (size_t i = 0; i < sequence.size(); ++i)
    if (keep[i]) out.push_back(sequence[i]);
  return out;
}

RandomDropTrainer::RandomDropTrainer(SequentialRecommender& model, const Split& split, const TrainConfig& config, float p,
                                     bool replace)
    : Trainer(model, split, config), p_(p), replace_(replace), originals_(recommender_training_sequences(split)) {
  L2_CHECK(p >= 0.0f && (p < 1.0f || (replace && p == 1.0f)),
           "random treatment: drop rate " << p << " outside [0, 1) (1 is allowed in replace mode only)");
}

void RandomDropTrainer::on_epoch_begin(std::int64_t epoch) {
  synthetic_.clear();
  std::vector<SequenceRef> refs;
  std::vector<size_t> core;
  for (size_t r = 0; r < originals_.size(); ++r) {
    const bool is_core = split_.group(originals_[r].user) == Group::core;
    if (is_core) core.push_back(r);
    if (!is_core || !replace_) refs.push_back(originals_[r]);
  }
  if (p_ >= 1.0f) core.clear();  // replace mode, p = 1: no core interaction is left
  synthetic_.reserve(core.size());
  const Generator base(config_.seed, 0x52414E44ull + std::uint64_t(epoch));
  for (size_t r : core) {
    Generator g = base.fork(std::uint64_t(originals_[r].user));
    synthetic_.push_back(random_drop(originals_[r].items, p_, g));
  }
  for (size_t k = 0; k < core.size(); ++k) {
    SequenceRef s = originals_[core[k]];
    s.items = synthetic_[k];
    refs.push_back(s);
  }
  set_sequences(std::move(refs));
}

}  // namespace l2::recsys
