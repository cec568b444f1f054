// Does a smooth meta objective move with the ranking metrics it stands for? A recommender trained
// with the sampled BCE loss is not calibrated as a softmax over all items, so the meta users'
// log-likelihood (or MRR, or NDCG without a cutoff) rising is not the same as casual users'
// validation HR@10 and NDCG@10 rising. `track_objectives` trains a recommender from scratch and,
// after every epoch, measures every meta objective (l2aug/method/meta_objective.h) and the casual
// users' validation HR@10 and NDCG@10; the correlations over the run, of the levels and of the
// epoch-to-epoch changes, say whether an objective is a usable stand-in (`l2aug reward --track-epochs`).
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "recsys/models/recommender.h"
#include "recsys/train/train_config.h"

namespace l2::app {

struct ObjectiveTrack {
  std::vector<std::int64_t> epochs;                       // epochs trained when measured
  std::vector<double> validation_hr, validation_ndcg;     // casual users, @10
  std::map<std::string, std::vector<double>> meta;        // per objective name, per epoch
  // Per objective: Pearson correlation with validation NDCG@10 and HR@10, of the levels and of the
  // changes from one epoch to the next.
  nlohmann::json correlations() const;
  nlohmann::json to_json() const;
};

ObjectiveTrack track_objectives(recsys::SequentialRecommender& model, const recsys::Split& split,
                                const recsys::TrainConfig& train, std::int64_t epochs, int k = 10);

}  // namespace l2::app
