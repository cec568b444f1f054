// An experiment: a grid of cells, a cell being dataset x model x treatment x hyperparameter point
// x seed (the L2Aug paper's Table 2 and figures are such grids). The configuration file:
//
//   {
//     "name": "table2-beauty",
//     "seeds": [1, 2, 3],                        // the first is the selection seed unless "selection_seed"
//     "criterion": {"metric": "ndcg@10", "group": "casual"},   // Note [Fair comparison]
//     "datasets": {"beauty": {"data": "../shared/datasets/amazon-Beauty", "options": {"cutoff": "default"}}},
//     "models": ["sasrec", "gru4rec", "nextitnet"],
//     "model": {"dim": 100},                     // settings for every model
//     "train": {"epochs": 200},
//     "model_overrides": {"nextitnet": {"dim": 64}},   // one model's own model / training settings
//     "train_overrides": {"nextitnet": {"lr": 3e-4}},
//     "seed_overrides": {"gru4rec": [1, 2]},     // one model's own seeds (must hold the selection seed)
//     "treatments": {
//       "none": {},
//       "random": {"grid": {"p": [0.2, 0.5, 0.8]}},          // unqualified keys are treatment settings
//       "l2aug": {"settings": {"iterations": 500}, "sweep": {"data.meta-fraction": [0.05, 0.1]}}
//     },
//     "grid": {"train.lr": [0.001]}              // a grid for every treatment
//   }
//
// Grid keys are "treatment.<k>", "train.<k>", "model.<k>" or "data.<option>" (any data option of
// the command line, e.g. data.meta-fraction). Every grid point is run on the selection seed; the
// point with the best validation criterion is then run on the other seeds (the reduce step). A
// treatment without a grid runs its one point on every seed at once. A "sweep" (same key forms)
// is not selected over: each of its points is a variant of its own, run on every seed and reported
// separately (sensitivity studies: the meta-validation ratio, the drop rate). A sweep may also be
// a list of variants, each an object of single settings, for rows that are not a product of lists:
//       "l2aug": {"sweep": [{}, {"policy": "keep_all"}, {"policy": "uniform"}, {"reward": "loglik", "paired": true}]}
// ({} is the treatment as configured, reported without a variant name). Unknown keys anywhere are
// errors naming the key.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "l2aug/app/model_options.h"
#include "l2aug/app/treatment_run.h"

namespace l2::app {

struct Cell {
  std::string id;         // dataset/model/treatment/point/seedN: also its folder under cells/
  std::string group;      // dataset/model/treatment[variant]: the cells a selection compares
  std::string point;      // "default" or "key=value,..." (the grid point)
  std::string dataset, model, treatment;
  std::string variant;    // the sweep point ("" without a sweep)
  std::uint64_t seed = 1;
  bool grid_point = false;  // part of a grid with more than one point
  nlohmann::json settings;  // fully resolved: {"data": {...options}, "model": {...}, "train": {...}, "treatment": {...}}
};

struct ExperimentConfig {
  std::string name;
  std::string source;  // the file it was read from
  nlohmann::json raw;  // as written
  std::vector<std::uint64_t> seeds;
  std::map<std::string, std::vector<std::uint64_t>> model_seeds;  // "seed_overrides": one model's own seeds
  std::uint64_t selection_seed = 1;
  std::string criterion = "ndcg@10", criterion_group = "casual";
  std::map<std::string, nlohmann::json> datasets;  // name -> {"data": ..., "options": {...}}
  std::vector<std::string> models, treatments;

  // The cells of the first phase: every grid point on the selection seed, and every seed of the
  // treatments without a grid.
  std::vector<Cell> phase1_cells() const;
  // The second phase, given the chosen point of each gridded group (group -> point).
  std::vector<Cell> phase2_cells(const std::map<std::string, std::string>& chosen) const;
  // The seeds of a model's cells: its "seed_overrides" entry, else "seeds".
  const std::vector<std::uint64_t>& seeds_of(const std::string& model) const;
  // Every group that has more than one grid point.
  std::vector<std::string> gridded_groups() const;

  static ExperimentConfig load(const std::string& path);
  static ExperimentConfig parse(const nlohmann::json& j, const std::string& source);

 private:
  std::vector<Cell> cells_of(const std::string& dataset, const std::string& model, const std::string& treatment) const;
};

// A cell's settings turned into the configurations of a run (the model's num_items is filled in
// once the data is loaded). The experiment's criterion applies to every cell (Note [Fair
// comparison]); the seed sets the model's, the training's and the treatment's seeds. Throws an
// l2::Error naming the cell and the bad setting.
struct ResolvedCell {
  recsys::DataConfig data;
  ModelAndTraining cfg;
  TreatmentSpec spec;
};
ResolvedCell resolve_cell_settings(const Cell& cell, const ExperimentConfig& experiment);

// The path-safe form of a grid point ("p=0.2,lr=0.001" -> "p=0.2_lr=0.001").
std::string path_safe(const std::string& s);

}  // namespace l2::app
