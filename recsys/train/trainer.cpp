#include "recsys/train/trainer.h"

#include <cmath>
#include <sstream>

#include "nn/checkpoint.h"
#include "recsys/checkpoint_json.h"
#include "recsys/models/model_file.h"
#include "recsys/train/step.h"
#include "recsys/train/stop_signal.h"

namespace l2::recsys {

namespace {
// Streams of the trainer's generators: one per epoch for the data order and one for negatives.
constexpr std::uint64_t kOrderStream = 0x0E00000000ull, kNegativeStream = 0x0F00000000ull;

nn::AdamOptions adam_options(const TrainConfig& c) {
  nn::AdamOptions o;
  o.lr = c.lr;
  o.beta1 = c.beta1;
  o.beta2 = c.beta2;
  o.eps = c.eps;
  o.weight_decay = c.weight_decay;
  o.lazy_rows = c.lazy_adam;
  return o;
}
}  // namespace

const char* train_status_name(TrainStatus s) {
  switch (s) {
    case TrainStatus::converged: return "converged";
    case TrainStatus::epoch_limit: return "epoch limit";
    case TrainStatus::step_limit: return "step limit";
    case TrainStatus::time_limit: return "time limit";
    case TrainStatus::interrupted: return "interrupted";
  }
  return "?";
}

Trainer::Trainer(SequentialRecommender& model, const Split& split, const TrainConfig& config)
    : model_(model),
      split_(split),
      config_(config),
      adam_(model.named_parameters(), adam_options(config)),
      sequences_(recommender_training_sequences(split)),
      run_(std::string("train ") + model_kind_name(model.config().kind)) {
  run_.keep("best.", model);
  config_.eval.maxlen = model.config().maxlen;
}

void Trainer::set_sequences(std::vector<SequenceRef> sequences) { sequences_ = std::move(sequences); }

BatchPlan Trainer::plan_epoch(std::int64_t epoch) const {
  Generator order(config_.seed, kOrderStream + std::uint64_t(epoch));
  if (!config_.bucketing) return plan_unbucketed(std::int64_t(sequences_.size()), config_.batch_size, order);
  const std::vector<std::int64_t> lengths = input_lengths(sequences_, model_.config().maxlen);
  return plan_bucketed(lengths, config_.batch_size, order);
}

float Trainer::train_step(const SequenceBatch& batch) { return next_item_step(model_, batch, adam_, config_.clip_norm); }

EvalResult Trainer::validate() {
  model_.eval();
  const SequentialRecommender& m = model_;
  EvalResult r = evaluate([&](const EvalBatch& b) { return m.score_all_last(b.items, b.positions); }, split_,
                          EvalSet::validation, config_.eval);
  model_.train();
  return r;
}

void Trainer::evaluate_and_track(double mean_loss) {
  const EvalResult r = validate();
  const double c = r.metrics.of(config_.criterion_group).value(config_.criterion);
  TrainLogRow row;
  row.epoch = epoch_;
  row.step = step_;
  row.loss = mean_loss;
  row.seconds = run_.seconds();
  row.criterion = c;
  row.validation = r.metrics.to_json();
  log_.push_back(row);
  if (run_.observe(c, epoch_) && !dir_.empty()) save_model((dir_ / "best.ckpt").string(), model_, split_);
  std::ostringstream os;
  os << "epoch " << epoch_ << ": loss " << mean_loss << ", validation " << config_.criterion << " ("
     << config_.criterion_group << ") " << c << (run_.improved() ? " (best)" : "") << ", casual "
     << r.metrics.casual.value(config_.criterion) << ", core " << r.metrics.core.value(config_.criterion);
  run_.progress().update(os.str(), true);
}

void Trainer::save_checkpoint() {
  if (dir_.empty()) return;
  nn::StateDict s = model_state(model_, split_);
  s.merge("optim.", adam_.state());
  s.set("train_config", config_.to_json().dump());
  s.set_u64("rng.dropout", model_.dropout_rng().state().counter);
  s.set_int("trainer.epoch", epoch_);
  s.set_int("trainer.batch", batch_);
  s.set_int("trainer.step", step_);
  run_.save(s, "trainer.", "best_epoch");
  s.set_int("trainer.finished", finished_ ? 1 : 0);
  s.set_int("trainer.final_status", int(final_status_));
  s.set_double("trainer.loss_sum", loss_sum_);
  s.set_int("trainer.loss_count", loss_count_);
  s.set("trainer.log", nlohmann::json(log_).dump());
  s.merge("treatment.", extra_state());
  nn::save_checkpoint((dir_ / "last.ckpt").string(), s);
}

void Trainer::resume(const std::filesystem::path& path) {
  const std::string file = path.string();
  const nn::StateDict s = nn::load_checkpoint(file);
  L2_CHECK(s.has("trainer.epoch"), file << " holds no training state (is it a best.ckpt model file?)");
  nn::read_checkpoint_entries(file, [&] {
    check_same_model_config(s, model_.config(), file);
    // The saved settings with today's defaults for any setting added since. Run limits (steps,
    // seconds, checkpoint interval) may change between runs; everything else must match.
    TrainConfig saved = TrainConfig::defaults(model_.config().kind);
    saved.apply_json(checkpoint_json(s, "train_config"));
    check_resumable_settings(file, "training", saved.to_json(), config_.to_json(),
                             {"max_steps", "max_seconds", "checkpoint_seconds"});
    L2_CHECK(s.get_u64("data.fingerprint") == split_.dataset().fingerprint(),
             file << " was written for other data (dataset '" << s.get("data.name") << "')");
    model_.load_state_dict(s.extract("model.").tensors);
    adam_.load_state(s.extract("optim."));
    Generator::State g = model_.dropout_rng().state();
    g.counter = s.get_u64("rng.dropout");
    model_.dropout_rng().set_state(g);
    epoch_ = s.get_int("trainer.epoch");
    batch_ = s.get_int("trainer.batch");
    step_ = s.get_int("trainer.step");
    run_.load(s, "trainer.", "best_epoch");
    finished_ = s.get_int("trainer.finished") != 0;
    const std::int64_t status = s.get_int("trainer.final_status");
    L2_CHECK(status >= 0 && status <= std::int64_t(TrainStatus::interrupted),
             "checkpoint entry 'trainer.final_status' holds " << status << ", not a training status");
    final_status_ = TrainStatus(status);
    loss_sum_ = s.get_double("trainer.loss_sum");
    loss_count_ = s.get_int("trainer.loss_count");
    log_ = checkpoint_json<std::vector<TrainLogRow>>(s, "trainer.log");
    load_extra_state(s.extract("treatment."));
  });
}

TrainStatus Trainer::run() {
  L2_CHECK(!sequences_.empty(), "train: no training sequence with at least 2 items");
  if (!dir_.empty()) std::filesystem::create_directories(dir_);
  if (finished_) {  // resumed after the end: the best parameters are all that is left to restore
    run_.restore_best();
    run_.progress().finish(std::string("already ") + train_status_name(final_status_) + " (from the checkpoint)");
    return final_status_;
  }
  model_.train();
  TrainStatus status = TrainStatus::epoch_limit;
  run_.checkpointed();
  std::int64_t seqs_done = 0;
  const double t0 = run_.progress().elapsed();
  auto finish = [&](TrainStatus s) {
    status = s;
    return true;
  };
  bool stop = false;
  while (!stop && epoch_ < config_.epochs) {
    on_epoch_begin(epoch_);
    const BatchPlan plan = plan_epoch(epoch_);
    const NegativeSampling neg{config_.seed, kNegativeStream + std::uint64_t(epoch_), split_.num_items()};
    for (; batch_ < std::int64_t(plan.size()); ++batch_) {
      if (stop_requested()) {
        stop = finish(TrainStatus::interrupted);
        break;
      }
      const SequenceBatch b = make_sequence_batch(sequences_, plan[size_t(batch_)], model_.config().maxlen, neg);
      const float loss = train_step(b);
      L2_CHECK(std::isfinite(loss), "train: the loss became " << loss << " at epoch " << epoch_ << " step " << step_
                                                              << " (try a lower learning rate)");
      loss_sum_ += loss;
      ++loss_count_;
      ++step_;
      seqs_done += b.B;
      const double rate = seqs_done / std::max(1e-9, run_.progress().elapsed() - t0);
      const double left = double(std::int64_t(plan.size()) - batch_ - 1) * config_.batch_size / rate;
      std::ostringstream os;
      os << "epoch " << epoch_ + 1 << "/" << config_.epochs << " batch " << batch_ + 1 << "/" << plan.size()
         << " step " << step_ << " loss " << loss_sum_ / std::max<std::int64_t>(1, loss_count_) << " "
         << std::lround(rate) << " seq/s, epoch ETA " << format_duration(left);
      run_.progress().update(os.str());
      if (config_.max_steps > 0 && step_ >= config_.max_steps) {
        ++batch_;
        stop = finish(TrainStatus::step_limit);
        break;
      }
      if (run_.out_of_time(config_.max_seconds)) {
        ++batch_;
        stop = finish(TrainStatus::time_limit);
        break;
      }
    }
    if (stop) break;
    ++epoch_;
    batch_ = 0;
    if (epoch_ % config_.eval_every == 0 || epoch_ == config_.epochs) {
      evaluate_and_track(loss_sum_ / std::max<std::int64_t>(1, loss_count_));
      loss_sum_ = 0.0;
      loss_count_ = 0;
      if (run_.patience_exhausted(config_.patience)) stop = finish(TrainStatus::converged);
      save_checkpoint();
      run_.checkpointed();
    } else if (run_.checkpoint_due(config_.checkpoint_seconds)) {
      save_checkpoint();
      run_.checkpointed();
    }
  }
  if (status == TrainStatus::converged || status == TrainStatus::epoch_limit) {
    finished_ = true;
    final_status_ = status;
  }
  save_checkpoint();
  if (status != TrainStatus::interrupted) run_.restore_best();
  std::ostringstream os;
  os << train_status_name(status) << " after " << step_ << " steps (" << epoch_ << " epochs) in "
     << format_duration(run_.seconds());
  if (run_.best_at() >= 0)
    os << "; best validation " << config_.criterion << " " << run_.best() << " at epoch " << run_.best_at();
  run_.progress().finish(os.str());
  return status;
}

std::string Trainer::training_log_csv() const {
  std::ostringstream os;
  const std::vector<std::string> metrics = {"hr@5", "hr@10", "ndcg@5", "ndcg@10"};
  os << "epoch,step,seconds,train_loss,criterion" << validation_csv_header(metrics) << "\n";
  for (const TrainLogRow& r : log_)
    os << r.epoch << "," << r.step << "," << r.seconds << "," << r.loss << "," << r.criterion
       << validation_csv_values(r.validation, metrics) << "\n";
  return os.str();
}

}  // namespace l2::recsys
