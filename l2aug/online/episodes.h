// Episodes of online recommendation (LIRD Algorithm 3): a user arrives in a state; for T rounds
// the agent recommends a list of K items, the environment rates them, and the positively rated
// items enter the state. Many episodes run side by side, one row each, so that every round is one
// batched call of the agent and one of the simulator.
// An episode never recommends an item twice, nor an item of the user's training history (a movie
// the user has already rated). Its score is the mean rating of its T*K recommended items, the
// "average simulated rating per episode" of Figure 5.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "l2aug/online/agent.h"
#include "l2aug/online/rated_data.h"
#include "l2aug/online/simulator.h"

namespace l2::online {

struct EpisodeStart {
  std::int32_t user = 0;
  std::vector<std::int32_t> state;      // N ids, oldest first, left-padded with 0
  std::span<const std::int32_t> seen;   // items the episode never recommends
};

// The user's state at the end of its training part: its N most recent liked training items.
EpisodeStart boundary_start(const OnlineData& data, std::int32_t user, std::int64_t N, float positive);
// The user's state at a uniformly drawn point of its training part (training episodes start in
// the situations the memory was built from).
EpisodeStart random_start(const OnlineData& data, std::int32_t user, std::int64_t N, float positive, Generator& g);

class EpisodeBatch {
 public:
  EpisodeBatch(std::span<const EpisodeStart> starts, std::int32_t num_items, std::int64_t N);
  // One round of every episode (Algorithm 3, lines 8-15). With g, the agent explores with
  // `epsilon`; without, it is greedy. Returns the round's transitions.
  Transitions round(const Agent& agent, const Environment& env, float epsilon, Generator* g);
  std::int64_t size() const { return B_; }
  // Per episode: the mean rating of the items recommended so far.
  std::vector<double> mean_ratings() const;

 private:
  std::int64_t B_, N_;
  std::vector<std::int32_t> states_;  // [B, N]
  ItemMask excluded_;                 // history and everything recommended so far
  std::vector<double> rating_sum_;
  std::vector<std::int64_t> rated_;
};

// Runs `rounds` greedy rounds from each start, `chunk` episodes at a time; per-episode mean ratings.
std::vector<double> evaluate(const Agent& agent, const Environment& env, std::span<const EpisodeStart> starts,
                             std::int64_t rounds, std::int64_t chunk = 256);
// The same episodes with uniformly random lists (a reference for what learning adds).
std::vector<double> evaluate_random(const Agent& agent, const Environment& env, std::span<const EpisodeStart> starts,
                                    std::int64_t rounds, std::uint64_t seed);

struct OnlineTrainConfig {
  std::int64_t episodes = 2000;         // training episodes per agent
  std::int64_t rounds = 10;             // T: lists per episode (ours; LIRD's episodes are sessions)
  std::int64_t parallel = 32;           // episodes run side by side
  std::int64_t updates_per_round = 4;   // gradient steps after each round of `parallel` episodes
  std::int64_t warmup = 500;            // transitions in the buffer before the first update
};

struct TrainReport {
  std::int64_t episodes = 0, updates = 0;
  double mean_rating = 0.0;   // over all training episodes (exploration included)
  double last_loss = 0.0, last_q = 0.0;
  double seconds = 0.0;
};

// Draws the start of one training episode.
using StartSampler = std::function<EpisodeStart(Generator&)>;
// random_start of a user drawn uniformly from `users`.
StartSampler training_starts(const OnlineData& data, std::span<const std::int32_t> users, std::int64_t N, float positive);

// Trains `agent` online against `env` (Algorithm 3): waves of `parallel` episodes from draw_start,
// epsilon-greedy lists, every round's transitions into the replay buffer, and after each round
// `updates_per_round` updates on uniform draws from it. Every draw derives from `seed`.
TrainReport train_online(Agent& agent, const Environment& env, const StartSampler& draw_start,
                         const OnlineTrainConfig& config, std::uint64_t seed);

}  // namespace l2::online
