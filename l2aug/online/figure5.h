// The online experiment of Section 5.3.2 (Figure 5) end to end: for every seed, item embeddings
// from the training interactions; for every list size K, a training simulator (memory of the
// training part) and a test simulator (memory of the testing part; rated_data.h, Note [Online
// split]); for every agent, online pretraining against the training simulator, then the plain arm
// and the L2Aug arm from that one pretrained agent (l2aug_online.h, Note [Matched replay]); each
// evaluated by greedy episodes from every user's state at the end of its training part, scored by
// the test simulator. The measure is the average simulated rating per episode, per user group.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "l2aug/online/embeddings.h"
#include "l2aug/online/l2aug_online.h"

namespace l2::online {

struct OnlineConfig {
  OnlineDataConfig data;
  SimulatorConfig simulator;  // K is set per grid cell
  EmbeddingConfig embedding;
  AgentConfig dqn;
  // LIRD explores only through the random items of epsilon-greedy lists; at 0.1 (and 2 updates per
  // round) it stayed at the level of random recommendation on MovieLens (K = 4, seed 1: 2.84/2.87
  // casual/core against 2.82/2.88), at 0.3 (and 4 updates) it reached 3.62/3.76.
  AgentConfig lird = [] {
    AgentConfig c;
    c.epsilon = 0.3f;
    return c;
  }();
  OnlineTrainConfig train;
  OnlineL2AugConfig l2aug;

  nlohmann::json to_json() const;  // {"data": {...}, "simulator": {...}, ...}
  // One setting by its "section.key" name (e.g. "lird.actor_lr", "simulator.mode",
  // "l2aug.actions"); an unknown key or a malformed value is an error naming the key.
  void set(const std::string& key, const std::string& value);
  void apply_json(const nlohmann::json& j);  // {"section": {"key": value, ...}, ...}
  void check() const;
};

struct GroupMeans {
  double casual = 0.0, core = 0.0, all = 0.0;
};

// The same greedy episodes rated by the test simulator (the measure) and by the training
// simulator (what the agent learned against: the gap between the two is overfitting to the
// training memory).
struct Scores {
  GroupMeans test, train;
};

struct CellResult {
  AgentKind agent = AgentKind::dqn;
  std::int64_t list_size = 0;
  std::uint64_t seed = 0;
  Scores random, pretrained, plain, l2aug;  // l2aug only if run
  bool has_l2aug = false;
  std::int64_t train_tuples = 0, train_patterns = 0, test_tuples = 0, test_patterns = 0;
  TrainReport pretrain;
  double l2aug_mean_reward = 0.0;
  std::vector<double> l2aug_action_probs;  // mean over the last 10% of the iterations
  double seconds = 0.0;
};

struct GridSpec {
  std::vector<AgentKind> agents;
  std::vector<std::int64_t> list_sizes;
  std::vector<std::uint64_t> seeds;
  bool l2aug = false;
};

struct GridResult {
  std::vector<CellResult> cells;
  std::vector<EmbeddingReport> embeddings;  // per seed
  double seconds = 0.0;
};

GridResult run_grid(const OnlineData& data, const OnlineConfig& config, const GridSpec& spec);

// The results as JSON: "grid", "summary" (per method and list size, mean/std/values over seeds
// for casual, core and all users under the test simulator, and the same under the training
// simulator in "train_simulator"), "cells", "embeddings", "wall_seconds".
nlohmann::json grid_json(const GridResult& result, const GridSpec& spec);
// The summary as Markdown tables (test simulator, then training simulator; rows by method and K).
std::string grid_table(const GridResult& result, const GridSpec& spec);

}  // namespace l2::online
