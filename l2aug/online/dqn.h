// The DQN recommender of the online experiment (Section 5.3.2; Mnih et al. 2015 as LIRD's
// baseline): a Q-network over (state, candidate item), experience replay, a target network, and
// the top-K items by Q, without repeats, as the list.
//
//   Q(s, i) = w . relu(f(s) + W_e e_i + b) + c,   f(s) = W_2 relu(W_1 [e_s1; ...; e_sN] + b_1)
//
// This is a fully connected network over the concatenation [s; e_i] whose only item-dependent
// layer is the first joint one, so scoring all V candidates for B states costs B*V*H, not B*V*H^2
// (LIRD describes its DQN baseline only as fully connected layers over state and item, without
// a layer count; docs/model-specs.md#lird-simulator-and-dqn).
//
// Learning (the per-item variant): a list transition (s, a_1..a_K,
// r_1..r_K, s') gives K item transitions, each with its own reward, and the TD target
//   y_k = (r_k - c) + gamma * max_{i not in s'} Q'(s', i)          (Note [Reward centring])
// for the loss mean_k (Q(s, a_k) - y_k)^2; Q' is a copy of Q refreshed every `target_every`
// updates. Episodes are cut at a fixed length, not ended by the user, so every target bootstraps.
#pragma once

#include "l2aug/online/agent.h"
#include "nn/layers.h"
#include "nn/optim.h"

namespace l2::online {

class QNetwork : public nn::Module {
 public:
  QNetwork(std::int64_t N, std::int64_t D, std::int64_t H);
  // f(s): [B, N, D] state embeddings -> [B, H].
  Var state_part(const Var& state_embeddings) const;
  // W_e e_i + b: [M, D] -> [M, H].
  Var item_part(const Var& item_embeddings) const;
  // Q from the two parts, [M, H] each -> [M, 1].
  Var q(const Var& state_part, const Var& item_part) const;
  // Q of every pair of a state part [B, H] and an item part [V, H] -> [B, V], no graph.
  Tensor q_all(const Tensor& state_part, const Tensor& item_part) const;

 private:
  std::int64_t N_, D_;
  nn::Linear s1_, s2_, item_, out_;
};

class DQN : public Agent {
 public:
  DQN(Tensor embeddings, std::int64_t N, std::int64_t K, const AgentConfig& config);
  const char* name() const override { return "dqn"; }
  UpdateStats update(const Transitions& batch) override;
  void copy_from(const Agent& other) override;
  // Q of every item in each state under the online or the target network, [B, V + 1].
  Tensor q_values(const IndexTensor& states, bool target = false) const;

 protected:
  Tensor slot_scores(const IndexTensor& states) const override;

 private:
  QNetwork q_, target_;
  nn::Adam adam_;
};

}  // namespace l2::online
