// The trainer shared by all models and treatments (Section 5.1): epochs over shuffled,
// length-bucketed sequences with seeded negatives; validation every few epochs; early stopping
// on a criterion; the best parameters kept; exact resumption (parameters, Adam state, dropout
// generator, data order) from a checkpoint; SIGINT/SIGTERM write one and return; a progress line
// with step, loss, throughput and ETA.
//
// Treatments customise it by subclassing: replace the training sequences each epoch
// (on_epoch_begin, set_sequences) or the step itself (train_step).
#pragma once

#include <filesystem>
#include <vector>

#include "nn/optim.h"
#include "recsys/data/batch.h"
#include "recsys/models/recommender.h"
#include "recsys/train/train_config.h"
#include "recsys/train/training_run.h"

namespace l2::recsys {

struct TrainLogRow {
  std::int64_t epoch = 0, step = 0;
  double loss = 0.0;     // mean training loss of the epochs since the previous row
  double seconds = 0.0;  // wall time since the start of training (this process and earlier ones)
  double criterion = 0.0;
  nlohmann::json validation;  // GroupMetrics as JSON
};
// As JSON in checkpoints, one key per field.
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(TrainLogRow, epoch, step, loss, seconds, criterion, validation)

enum class TrainStatus { converged, epoch_limit, step_limit, time_limit, interrupted };
const char* train_status_name(TrainStatus s);

class Trainer {
 public:
  Trainer(SequentialRecommender& model, const Split& split, const TrainConfig& config);
  virtual ~Trainer() = default;

  // Training sequences (default: every user's recommender-training sequence). The spans inside
  // must stay valid while the trainer uses them.
  void set_sequences(std::vector<SequenceRef> sequences);
  // Where `last.ckpt` (resumable state) and `best.ckpt` (the best model) go; empty: nowhere.
  void set_checkpoint_dir(const std::filesystem::path& dir) { dir_ = dir; }
  // Restores the state of `last.ckpt`; throws if it belongs to another configuration or data.
  void resume(const std::filesystem::path& checkpoint);

  // Trains until early stopping, the epoch/step/time limit or a stop signal, then restores the
  // best parameters seen (when any validation ran).
  TrainStatus run();

  // One validation pass with the current parameters (eval mode), full ranking by default.
  EvalResult validate();

  nn::Adam& optimizer() { return adam_; }
  const std::vector<TrainLogRow>& log() const { return log_; }
  double best_criterion() const { return run_.best(); }
  std::int64_t best_epoch() const { return run_.best_at(); }
  std::int64_t steps() const { return step_; }
  std::string training_log_csv() const;

 protected:
  // One optimisation step on a batch; returns the loss. Default: Eq. (2) loss, backward,
  // optional clipping, Adam.
  virtual float train_step(const SequenceBatch& batch);
  // Called before each epoch's plan is drawn (a treatment may call set_sequences here).
  virtual void on_epoch_begin(std::int64_t /*epoch*/) {}
  // Extra state a subclass keeps in checkpoints (under "treatment.").
  virtual nn::StateDict extra_state() const { return {}; }
  virtual void load_extra_state(const nn::StateDict&) {}

  SequentialRecommender& model_;
  const Split& split_;
  TrainConfig config_;
  nn::Adam adam_;
  std::vector<SequenceRef> sequences_;

 private:
  BatchPlan plan_epoch(std::int64_t epoch) const;
  void save_checkpoint();
  void evaluate_and_track(double mean_loss);

  std::filesystem::path dir_;
  std::int64_t epoch_ = 0, batch_ = 0, step_ = 0;  // next epoch and batch within it; steps done
  bool finished_ = false;                           // converged or out of epochs: run() has nothing left to do
  TrainStatus final_status_ = TrainStatus::converged;
  std::vector<TrainLogRow> log_;
  double loss_sum_ = 0.0;
  std::int64_t loss_count_ = 0;
  TrainingRun run_;  // early stopping, the best parameters, time, checkpoint cadence, progress
};

}  // namespace l2::recsys
