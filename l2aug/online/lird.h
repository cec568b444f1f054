// LIRD, the list-wise actor-critic recommender of Zhao et al. 2017 ("Deep Reinforcement Learning
// for List-wise Recommendations", Algorithms 2-3), as the egipcy reimplementation builds it
// (docs/model-specs.md#lird-simulator-and-dqn), on our autograd and layers:
//   actor   a GRU over the N state embeddings; its last output -> Linear gives K weight vectors
//           w^1..w^K in the embedding space (the "proto-action", Note [Proto-action scale]).
//           Algorithm 2: slot k scores every candidate by w^k . e_i and takes the best, and the
//           chosen item leaves the candidates of the slots after it (egipcy omits the removal and
//           can repeat items).
//   critic  Q(s, a): a GRU over the state; its last output, concatenated with the K item
//           embeddings of the list a, goes through Dense 32 relu -> Dense 16 relu -> Dense 1.
// Learning, per batch of transitions (s, a, r_1..r_K, s') drawn from a buffer of item ids:
//   critic  y = R + gamma Q'(s', a'),  R = Σ_k Γ^(k-1) (r_k - c)  (Eq. 4, Note [Reward centring]),
//           a' = the list the target actor recommends in s' (items already in s' excluded), given
//           to Q' as its items' embeddings; minimise mean (Q(s, a) - y)^2.
//   actor   maximise mean Q(s, π(s)) with π(s) = [w^1; ...; w^K], the gradient of Q with respect
//           to its action input taken at π(s) and chained into the actor (DDPG).
//   targets θ' <- τ θ + (1 - τ) θ' for both networks after every update.
// Two bugs of egipcy are not copied: its target action is computed from s instead of s', and its
// action gradients are taken at the stored actions instead of at π(s).
//
// Note [Proto-action scale]
// The critic learns Q only at real lists: concatenations of item embeddings, whose items have a
// typical length. The actor is trained by the critic's gradient at π(s), so π(s) should lie where
// the critic has seen data. egipcy squashes w^k with tanh into [-1, 1]^D, a box far larger than
// where the (scaled) item embeddings lie. Here each w^k is instead scaled to the mean length of the
// item embeddings, w^k = r̄ u^k / |u^k|: Algorithm 2's choice depends only on w^k's direction, so
// nothing is lost, and the critic is asked about vectors of the size it knows (tanh_actions
// restores egipcy's squashing; measured on MovieLens in the README).
#pragma once

#include "l2aug/online/agent.h"
#include "nn/gru.h"
#include "nn/layers.h"
#include "nn/optim.h"

namespace l2::online {

class LirdActor : public nn::Module {
 public:
  // norm > 0: each w^k is scaled to this length (Note [Proto-action scale]); 0: tanh (egipcy).
  LirdActor(std::int64_t N, std::int64_t K, std::int64_t D, std::int64_t H, float norm);
  // state embeddings [B, N, D] and the real-step mask [B, N] -> the weight vectors [B, K * D].
  Var weights(const Var& state_embeddings, const Tensor& mask) const;

 private:
  std::int64_t K_, D_;
  float norm_;
  nn::GRU gru_;
  nn::Linear out_;
};

class LirdCritic : public nn::Module {
 public:
  LirdCritic(std::int64_t N, std::int64_t K, std::int64_t D, std::int64_t H);
  // Q(s, a): state embeddings [B, N, D], mask [B, N], action [B, K * D] -> [B, 1].
  Var q(const Var& state_embeddings, const Tensor& mask, const Var& action) const;

 private:
  nn::GRU gru_;
  nn::Linear l1_, l2_, l3_;
};

class LIRD : public Agent {
 public:
  LIRD(Tensor embeddings, std::int64_t N, std::int64_t K, const AgentConfig& config);
  const char* name() const override { return "lird"; }
  UpdateStats update(const Transitions& batch) override;
  void copy_from(const Agent& other) override;

 protected:
  Tensor slot_scores(const IndexTensor& states) const override;

 private:
  Tensor mask_of(const IndexTensor& states) const;  // 1 at real items, 0 at padding
  Tensor target_slot_scores(const IndexTensor& states) const;

  LirdActor actor_, target_actor_;
  LirdCritic critic_, target_critic_;
  nn::Adam actor_adam_, critic_adam_;
};

}  // namespace l2::online
