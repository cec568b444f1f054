#include "l2aug/app/objective_tracking.h"

#include "l2aug/app/reward_diagnostic.h"
#include "l2aug/method/meta_objective.h"
#include "recsys/eval/evaluate.h"
#include "recsys/train/trainer.h"

namespace l2::app {

namespace {

std::vector<double> changes(const std::vector<double>& x) {
  std::vector<double> d;
  for (size_t i = 1; i < x.size(); ++i) d.push_back(x[i] - x[i - 1]);
  return d;
}

// A trainer that measures the objectives before each epoch (after the previous one).
class TrackingTrainer : public recsys::Trainer {
 public:
  TrackingTrainer(recsys::SequentialRecommender& model, const recsys::Split& split, const recsys::TrainConfig& train,
                  int k, ObjectiveTrack& track)
      : Trainer(model, split, train),
        model_(model),
        split_(split),
        options_(train.eval),
        k_(k),
        track_(track),
        meta_cases_(recsys::eval_cases(split, recsys::EvalSet::meta)) {
    options_.maxlen = model.config().maxlen;
    options_.ks = {k};
    L2_CHECK(!meta_cases_.empty(), "objective tracking: the meta-validation set is empty");
  }
  void on_epoch_begin(std::int64_t epoch) override {
    if (epoch > 0) measure(epoch);
  }
  void measure(std::int64_t epoch) {
    model_.eval();
    const recsys::SequentialRecommender& m = model_;
    const recsys::EvalResult v = recsys::evaluate(
        [&](const recsys::EvalBatch& b) { return m.score_all_last(b.items, b.positions); }, split_,
        recsys::EvalSet::validation, options_);
    const method::MetaScores s = method::score_meta(model_, meta_cases_, split_.num_items(), options_, true);
    model_.train();
    track_.epochs.push_back(epoch);
    track_.validation_hr.push_back(v.metrics.casual.hr_at(k_));
    track_.validation_ndcg.push_back(v.metrics.casual.ndcg_at(k_));
    for (const std::string& name : method::meta_objective_names())
      track_.meta[name].push_back(method::meta_value(method::parse_meta_objective(name), k_, s));
  }

 private:
  recsys::SequentialRecommender& model_;
  const recsys::Split& split_;
  recsys::EvalOptions options_;
  int k_;
  ObjectiveTrack& track_;
  std::vector<recsys::EvalCase> meta_cases_;
};

}  // namespace

nlohmann::json ObjectiveTrack::correlations() const {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [name, values] : meta)
    j[name] = {{"ndcg@10", pearson(values, validation_ndcg)},
               {"hr@10", pearson(values, validation_hr)},
               {"ndcg@10_changes", pearson(changes(values), changes(validation_ndcg))},
               {"hr@10_changes", pearson(changes(values), changes(validation_hr))}};
  return j;
}

nlohmann::json ObjectiveTrack::to_json() const {
  return {{"epochs", epochs},
          {"validation_casual_hr@10", validation_hr},
          {"validation_casual_ndcg@10", validation_ndcg},
          {"meta", meta},
          {"correlations", correlations()}};
}

ObjectiveTrack track_objectives(recsys::SequentialRecommender& model, const recsys::Split& split,
                                const recsys::TrainConfig& train, std::int64_t epochs, int k) {
  L2_CHECK(epochs >= 3, "objective tracking: needs at least 3 epochs, got " << epochs);
  recsys::TrainConfig c = train;
  c.epochs = epochs;
  c.eval_every = epochs + 1;  // the tracker measures every epoch itself; no early stopping
  ObjectiveTrack track;
  TrackingTrainer trainer(model, split, c, k, track);
  trainer.run();
  trainer.measure(epochs);
  return track;
}

}  // namespace l2::app
