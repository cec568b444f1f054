#include "l2aug/app/experiment.h"

#include <chrono>
#include <map>
#include <cstdio>
#include <optional>
#include <sstream>

#include "l2aug/app/model_options.h"
#include "l2aug/app/results.h"
#include "nn/checkpoint.h"
#include "recsys/train/step.h"
#include "recsys/train/progress.h"
#include "recsys/train/stop_signal.h"
#include "tensor/build_info.h"
#include "tensor/parallel.h"

namespace l2::app {

namespace fs = std::filesystem;

Experiment::Experiment(ExperimentConfig config, fs::path out) : config_(std::move(config)), out_(std::move(out)) {
  fs::create_directories(out_);
  nn::remove_stale_temporaries(out_.string());  // left by a run killed mid-write
  for (const Cell& c : config_.phase1_cells()) done(c);  // refuse a folder of other settings before touching it
  nlohmann::json description = {{"schema", kResultSchema}, {"config", config_.raw}, {"source", config_.source}};
  stamp_build(description);
  write_json_file((out_ / "experiment.json").string(), description);
}

Experiment::~Experiment() = default;

bool Experiment::done(const Cell& c) const {
  const fs::path record = cell_dir(c) / "cell.json";
  if (fs::exists(record) && read_json_file(record.string()).value("settings", nlohmann::json()) != c.settings)
    throw Error("experiment: " + record.string() + " was run with other settings than " + config_.source +
                " now gives cell " + c.id + "; the configuration changed: use another --out folder, or delete the cell's folder to run it again");
  return fs::exists(cell_dir(c) / "metrics.json");
}

const recsys::Split& Experiment::split_for(const recsys::DataConfig& data) {
  const std::string key = data.load.describe() + "|" + data.dataset.describe() + "|" + data.protocol.describe();
  auto it = splits_.find(key);
  if (it == splits_.end())
    it = splits_.emplace(key, std::make_unique<recsys::Prepared>(recsys::prepare_data(data))).first;
  return it->second->split;
}

// Note [Shared pretraining]: an L2Aug cell starts by training the untreated recommender, which is
// exactly the run of the "none" cell of the same dataset, model, seed and settings (the same trainer,
// criterion and draws). When that cell has finished, its final checkpoint (parameters, Adam state,
// best snapshot, log) becomes the L2Aug cell's pretraining checkpoint, which resumes as an already
// finished run: the same recommender and optimiser state, without training it again for every
// L2Aug variant (the paper's estimator, others, the controls).
void Experiment::share_pretraining(const Cell& c, const ResolvedCell& r, const fs::path& dir) const {
  const fs::path target = dir / "pretrain" / "last.ckpt";
  if (fs::exists(target)) return;
  for (const Cell& none : config_.phase1_cells()) {
    if (none.treatment != "none" || none.dataset != c.dataset || none.model != c.model || none.seed != c.seed) continue;
    if (none.settings.at("data") != c.settings.at("data")) continue;
    ResolvedCell n = resolve_cell_settings(none, config_);
    n.cfg.model.num_items = r.cfg.model.num_items;
    const fs::path source = cell_dir(none) / "last.ckpt";
    if (n.cfg.model.to_json() != r.cfg.model.to_json() || n.cfg.train.to_json() != r.cfg.train.to_json() || !done(none) ||
        !fs::exists(source))
      continue;
    fs::create_directories(target.parent_path());
    const fs::path temporary = target.string() + ".tmp";
    fs::copy_file(source, temporary, fs::copy_options::overwrite_existing);
    fs::rename(temporary, target);
    std::fprintf(stderr, "experiment: %s starts from the untreated run of %s\n", c.id.c_str(), none.id.c_str());
    return;
  }
}

bool Experiment::run_cell(const Cell& c) {
  const auto t0 = std::chrono::steady_clock::now();
  ResolvedCell r = resolve_cell_settings(c, config_);
  const recsys::Split& split = split_for(r.data);
  r.cfg.model.num_items = split.num_items();
  const fs::path dir = cell_dir(c);
  fs::create_directories(dir);
  write_json_file((dir / "cell.json").string(),
                  {{"id", c.id}, {"group", c.group}, {"point", c.point}, {"seed", c.seed}, {"grid_point", c.grid_point},
                   {"dataset", c.dataset}, {"model", c.model}, {"treatment", c.treatment}, {"variant", c.variant},
                   {"settings", c.settings}});
  if (c.treatment == "l2aug") share_pretraining(c, r, dir);
  const TreatmentOutcome o = run_treatment(r.spec, r.cfg, split, r.data, dir, /*resume=*/true);
  cell_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ++cells_run_;
  return o.status != recsys::TrainStatus::interrupted;
}

std::optional<std::map<std::string, std::string>> Experiment::select() {
  std::map<std::string, std::string> chosen;
  nlohmann::json record = nlohmann::json::object();
  const std::vector<Cell> p1 = config_.phase1_cells();
  for (const std::string& group : config_.gridded_groups()) {
    nlohmann::json points = nlohmann::json::object();
    double best = -1.0;
    std::string best_point;
    for (const Cell& c : p1) {
      if (c.group != group || c.seed != config_.selection_seed) continue;
      if (!done(c)) return std::nullopt;
      const nlohmann::json m = read_json_file((cell_dir(c) / "metrics.json").string());
      const double v = m.at("validation").at("metrics").at(config_.criterion_group).at(config_.criterion).get<double>();
      points[c.point] = v;
      if (v > best) {  // ties keep the first point in sorted order
        best = v;
        best_point = c.point;
      }
    }
    chosen[group] = best_point;
    record[group] = {{"criterion", config_.criterion}, {"criterion_group", config_.criterion_group},
                     {"selection_seed", config_.selection_seed}, {"points", points}, {"chosen", best_point}};
  }
  write_json_file((out_ / "selection.json").string(), record);
  return chosen;
}

void Experiment::update_context(const Cell& c, std::int64_t index, std::int64_t total) {
  std::ostringstream os;
  os << "[cells " << index << "/" << total;
  if (cells_run_ > 0)
    os << ", grid ETA " << recsys::format_duration(cell_seconds_ / double(cells_run_) * double(total - index + 1));
  os << ": " << c.id << "] ";
  recsys::Progress::set_context(os.str());
}

namespace {
// The cells of shard `index` of `count`: every count-th cell of the phase's sorted list, those
// whose id contains `only` (all when it is empty).
std::vector<Cell> shard_of(const std::vector<Cell>& cells, int index, int count, const std::string& only) {
  std::vector<Cell> mine;
  for (size_t k = 0; k < cells.size(); ++k)
    if (int(k % size_t(count)) == index && cells[k].id.find(only) != std::string::npos) mine.push_back(cells[k]);
  return mine;
}
}  // namespace

bool Experiment::run_cells(const std::vector<Cell>& cells, std::int64_t& n, std::int64_t total) {
  for (const Cell& c : cells) {
    ++n;
    if (done(c)) continue;
    if (recsys::stop_requested()) return false;
    update_context(c, n, total);
    if (!run_cell(c)) return false;
  }
  return true;
}

bool Experiment::run_shard(int index, int count, const std::string& only) {
  const std::vector<Cell> mine = shard_of(config_.phase1_cells(), index, count, only);
  std::int64_t n = 0;
  if (!run_cells(mine, n, std::int64_t(mine.size()))) return false;
  const auto chosen = select();
  if (!chosen && !only.empty()) {  // the matching first-phase cells are done; the second phase waits for the grids
    recsys::Progress::set_context("");
    return true;
  }
  if (!chosen) {
    recsys::Progress::set_context("");
    std::fprintf(stderr, "experiment: shard %d/%d finished its first phase; the selection needs the first phase of "
                         "every shard: run this shard again once they are done\n", index, count);
    return false;
  }
  const std::vector<Cell> mine2 = shard_of(config_.phase2_cells(*chosen), index, count, only);
  if (!run_cells(mine2, n, std::int64_t(mine.size() + mine2.size()))) return false;
  recsys::Progress::set_context("");
  return true;
}

std::vector<Cell> Experiment::known_cells() {
  std::vector<Cell> all = config_.phase1_cells();
  if (const auto chosen = select()) {
    const std::vector<Cell> p2 = config_.phase2_cells(*chosen);
    all.insert(all.end(), p2.begin(), p2.end());
  }
  return all;
}

std::string Experiment::dry_run_report(bool measure) {
  std::ostringstream os;
  const std::vector<Cell> p1 = config_.phase1_cells();
  std::map<std::string, std::string> points;  // gridded group -> its model
  for (const Cell& c : p1)
    if (c.grid_point) points[c.group] = c.model;
  // Each grid's chosen point runs again on every seed of its model but the selection seed.
  std::int64_t p2 = 0;
  for (const auto& [group, model] : points) p2 += std::int64_t(config_.seeds_of(model).size()) - 1;
  os << "experiment '" << config_.name << "' (" << config_.source << ")\n";
  os << "phase 1: " << p1.size() << " cells (every grid point on seed " << config_.selection_seed
     << ", every seed of the treatments without a grid)\n";
  os << "phase 2: " << p2 << " cells (the chosen point of each of " << points.size()
     << " grids on its model's other seeds)\n";
  os << "total: " << p1.size() + size_t(p2) << " cells\n\n";
  std::int64_t finished = 0;
  for (const Cell& c : p1) {
    os << (done(c) ? "  [done] " : "         ") << c.id << "\n";
    finished += done(c);
  }
  os << "\n" << finished << " of " << p1.size() << " phase-1 cells are finished.\n";
  if (!measure) return os.str();

  // Estimate from measured throughput: a few training steps per (dataset, model, settings), times
  // the expected number of epochs; L2Aug adds its inner steps.
  os << "\nEstimate (measured on this machine, " << num_threads() << " threads):\n";
  os << "  assumption: a training run takes min(epochs, eval_every * (patience + 3)) epochs (early stopping); "
        "L2Aug runs min(iterations, eval_every * (patience + 3)) inner steps after its pretraining\n";
  std::map<std::string, double> measured;  // per cell signature: estimated seconds
  double total = 0.0;
  for (const Cell& c : known_cells()) {
    if (done(c)) continue;
    ResolvedCell r = resolve_cell_settings(c, config_);
    nlohmann::json sig = {{"data", c.settings.at("data")}, {"model", r.cfg.model.to_json()},
                          {"batch", r.cfg.train.batch_size}, {"treatment", c.treatment}};
    if (c.treatment == "l2aug") sig["l2aug"] = r.spec.l2aug.to_json();
    const std::string key = sig.dump();
    if (!measured.count(key)) {
      const recsys::Split& split = split_for(r.data);
      r.cfg.model.num_items = split.num_items();
      auto model = recsys::make_model(r.cfg.model);
      std::vector<recsys::SequenceRef> seqs = recsys::recommender_training_sequences(split);
      Generator g(1, 2);
      const recsys::BatchPlan plan =
          recsys::plan_bucketed(recsys::input_lengths(seqs, r.cfg.model.maxlen), r.cfg.train.batch_size, g);
      nn::Adam adam(model->named_parameters(), nn::AdamOptions{});
      const auto t0 = std::chrono::steady_clock::now();
      const size_t steps = std::min<size_t>(3, plan.size());
      for (size_t k = 0; k < steps; ++k) {
        const recsys::SequenceBatch b =
            recsys::make_sequence_batch(seqs, plan[k], r.cfg.model.maxlen, {1, 1, split.num_items()});
        recsys::next_item_step(*model, b, adam, r.cfg.train.clip_norm);
      }
      const double per_step = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / double(steps);
      const double epochs =
          double(std::min(r.cfg.train.epochs, r.cfg.train.eval_every * (r.cfg.train.patience + 3)));
      double seconds = per_step * double(plan.size()) * epochs;
      if (c.treatment == "random") seconds *= 1.0 + double(split.core_users().size()) / double(split.num_users());
      if (c.treatment == "l2aug") {
        method::L2AugTrainer l2(*model, adam, split, r.cfg.train, r.spec.l2aug);
        const auto t1 = std::chrono::steady_clock::now();
        l2.inner_step(0);
        const double inner = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
        seconds += inner * double(std::min(r.spec.l2aug.iterations, r.spec.l2aug.eval_every * (r.spec.l2aug.patience + 3)));
      }
      measured[key] = seconds;
    }
    total += measured[key];
  }
  os << "  about " << recsys::format_duration(total) << " for the " << known_cells().size() << " cells not yet finished"
     << " (phase 2 counted only when the selection exists; otherwise add about "
     << recsys::format_duration(p1.empty() ? 0.0 : total / double(p1.size()) * double(p2)) << ")\n";
  return os.str();
}

}  // namespace l2::app
