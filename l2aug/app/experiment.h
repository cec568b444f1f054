// Running an experiment grid (l2aug/app/experiment_config.h): each cell in its own folder
// cells/<dataset>/<model>/<treatment>/<point>/seed<N>/, its metrics.json written last and
// atomically, so that a finished cell is skipped and an interrupted one resumes from its
// checkpoints; killing the process at any moment loses at most the work since a cell's last
// checkpoint. Hyperparameter selection is the reduce step between the two phases
// (selection.json keeps every grid point's validation value and the choice).
//
// Scale-out: --shard i/n runs a fixed subset of the cells (index mod n = i over the sorted cells of
// each phase), so any job-array scheduler can run the grid; the second phase of a shard can start
// once every shard's first phase is done. With MPI (built with -DL2_WITH_MPI=ON), rank 0 hands
// cells out to the other ranks as they finish and waits for the first phase before the second.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "l2aug/app/experiment_config.h"

namespace l2::app {

class Experiment {
 public:
  Experiment(ExperimentConfig config, std::filesystem::path out);
  ~Experiment();

  const ExperimentConfig& config() const { return config_; }
  std::filesystem::path cell_dir(const Cell& c) const { return out_ / "cells" / c.id; }
  // Whether the cell's result file exists. Throws when the cell's folder holds a run with other
  // settings than the configuration now gives it (the configuration changed under the same --out):
  // skipping it would report stale results, resuming it would mix two settings.
  bool done(const Cell& c) const;

  // Runs one cell (resuming it if it has checkpoints); returns false if it was stopped by a signal.
  bool run_cell(const Cell& c);

  // The reduce step: for every gridded group, the grid point with the best validation criterion on
  // the selection seed. Writes selection.json. Returns nothing if some grid cell is unfinished.
  std::optional<std::map<std::string, std::string>> select();

  // Phase 1 and, when the selection is available, phase 2 of shard `index` of `count`; with
  // `only`, just the shard's cells whose id contains it (of the second phase, once the grids'
  // selection exists). Returns true when every such cell that can run has finished.
  bool run_shard(int index, int count, const std::string& only = "");

  // Every cell of the experiment: phase 1, and phase 2 if the selection is possible.
  std::vector<Cell> known_cells();
  std::string dry_run_report(bool measure);

 private:
  const recsys::Split& split_for(const recsys::DataConfig& data);
  void update_context(const Cell& c, std::int64_t index, std::int64_t total);
  // An L2Aug cell starts from its finished "none" twin's checkpoint (Note [Shared pretraining]).
  void share_pretraining(const Cell& c, const ResolvedCell& r, const std::filesystem::path& dir) const;
  // Runs the unfinished ones of `cells` in order, counting each in n (of total) for the progress
  // line; false if a signal stopped it.
  bool run_cells(const std::vector<Cell>& cells, std::int64_t& n, std::int64_t total);

  ExperimentConfig config_;
  std::filesystem::path out_;
  std::map<std::string, std::unique_ptr<recsys::Prepared>> splits_;  // loaded once per data configuration
  double cell_seconds_ = 0.0;
  std::int64_t cells_run_ = 0;
};

}  // namespace l2::app
