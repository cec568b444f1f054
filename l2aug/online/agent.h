// What the two list-wise recommenders of the online experiment (Section 5.3.2: DQN and LIRD, the
// target models of L2Aug) share: fixed item embeddings as inputs, list selection without repeats,
// epsilon-greedy exploration, and the way a rating becomes a reward.
//
// Note [Reward centring]
// The agents learn from r - c with c = 3, the middle of the 1-5 scale, rather than from the rating
// itself. Every episode has the same number of rounds and every list the same length, so the
// shift adds one constant to the value of every action in every state: it changes no choice. It
// keeps the values the networks must learn near zero, where they start, instead of near
// 4/(1 - gamma). The simulator and every reported number use the ratings themselves.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "autograd/ops.h"
#include "l2aug/online/replay_buffer.h"
#include "tensor/random.h"

namespace l2::online {

struct AgentConfig {
  std::int64_t hidden = 64;        // H: the width of every hidden layer (ours; the originals differ)
  float lr = 1e-3f;                // DQN's Adam; LIRD's critic (egipcy critic lr 1e-3)
  float actor_lr = 1e-3f;          // LIRD's actor (egipcy 1e-4, raised for our short budgets)
  float gamma = 0.9f;              // discount between rounds (egipcy 0.99; episodes here are 10 rounds)
  float Gamma = 0.9f;              // LIRD: Eq. 4's weights within a list (egipcy)
  float reward_center = 3.0f;      // Note [Reward centring]
  std::int64_t batch = 64;         // transitions per update (egipcy)
  std::int64_t buffer = 100000;    // replay capacity (egipcy 1e6; our runs store fewer)
  float tau = 0.01f;               // LIRD: soft target update (egipcy 0.001, for 100x longer runs)
  std::int64_t target_every = 100; // DQN: updates between hard copies to the target network
  float epsilon = 0.1f;            // exploration: a slot's item is random with this probability
  bool tanh_actions = false;       // LIRD: squash w by tanh (egipcy) instead of Note [Proto-action scale]
  std::uint64_t seed = 1;
};

// Items a row may not recommend: row b, item i is excluded when bits[b * (V + 1) + i] != 0.
// Item 0 (padding) is always excluded.
struct ItemMask {
  std::int64_t rows = 0, width = 0;  // width = V + 1
  std::vector<std::uint8_t> bits;
  ItemMask() = default;
  ItemMask(std::int64_t rows, std::int32_t num_items);
  bool excluded(std::int64_t b, std::int32_t i) const { return bits[size_t(b * width + i)] != 0; }
  void exclude(std::int64_t b, std::int32_t i) { bits[size_t(b * width + i)] = 1; }
  std::int64_t allowed(std::int64_t b) const;  // how many items row b may still get
};

// A mask that excludes, per transition, the items of its next state (the agents' bootstrap
// targets choose among items not already in the state).
ItemMask mask_of_states(const std::vector<std::int32_t>& states, std::int64_t N, std::int32_t num_items);

struct UpdateStats {
  double loss = 0.0;  // DQN: the TD loss; LIRD: the critic's
  double q = 0.0;     // mean Q of the batch's actions
};

class Agent {
 public:
  // embeddings: [V + 1, D], row 0 zero (online/embeddings.h); N state items, K items per list.
  Agent(Tensor embeddings, std::int64_t N, std::int64_t K, const AgentConfig& config);
  virtual ~Agent() = default;
  Agent(const Agent&) = delete;
  Agent& operator=(const Agent&) = delete;

  virtual const char* name() const = 0;
  // K distinct items per state (states: [B, N] ids), none of them excluded: the best by the
  // agent's scores, each slot's choice removed from the next slot's candidates; with probability
  // epsilon a slot takes a uniformly random allowed item instead (draws from g, row by row).
  // Returns [B * K] ids.
  std::vector<std::int32_t> recommend(const IndexTensor& states, const ItemMask& excluded, float epsilon,
                                      Generator* g) const;
  // The scores lists are picked by: [B, S, V + 1] (see slot_scores).
  Tensor scores(const IndexTensor& states) const { return slot_scores(states); }
  // One gradient step on a batch of transitions.
  virtual UpdateStats update(const Transitions& batch) = 0;
  // Becomes a copy of `other` (an agent of the same kind and shapes): parameters, target
  // networks, optimiser states, counters. L2Aug fine-tunes such a copy (Algorithm 1, line 11).
  virtual void copy_from(const Agent& other) = 0;
  std::int64_t updates() const { return updates_; }

  std::int64_t N() const { return N_; }
  std::int64_t K() const { return K_; }
  std::int32_t num_items() const { return std::int32_t(E_.dim(0) - 1); }
  const AgentConfig& config() const { return c_; }

 protected:
  // Scores [B, S, V + 1] of every item for S slots: S = 1 when every slot ranks by the same
  // scores (DQN), S = K when each slot has its own (LIRD).
  virtual Tensor slot_scores(const IndexTensor& states) const = 0;
  // Lists from slot scores [B, S, V + 1] (as recommend); greedy when g is null.
  std::vector<std::int32_t> pick_lists(const Tensor& scores, const ItemMask& excluded, float epsilon, Generator* g) const;
  // Embeddings of ids as a constant: [..., D].
  Var embed(const IndexTensor& ids) const;
  // r - c per rating (Note [Reward centring]).
  float reward(float rating) const { return rating - c_.reward_center; }

  Tensor E_;
  std::int64_t N_, K_, D_;
  AgentConfig c_;
  std::int64_t updates_ = 0;
};

enum class AgentKind { dqn, lird };
const char* agent_kind_name(AgentKind k);       // "dqn", "lird"
AgentKind parse_agent_kind(const std::string& name);  // throws naming the known agents
std::unique_ptr<Agent> make_agent(AgentKind kind, Tensor embeddings, std::int64_t N, std::int64_t K,
                                  const AgentConfig& config);

}  // namespace l2::online
