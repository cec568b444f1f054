// L2Aug in the online setting (Section 4.1's online reward, Section 5.3.2): Algorithm 1 with a
// list-wise RL agent (DQN or LIRD) as the target model and the simulator as the judge.
//   repeat for `iterations`:
//     S_B   <- B core users' training sequences with their ratings                 (line 3)
//     S_aug <- the augmentor's edits of S_B (l2aug/method/augmentor.h, run_policy)        (lines 5-9);
//              an item the user never rated (a substitute or an insertion) gets the rating
//              the training simulator gives it in the state before it
//     f'    <- a copy of the agent (networks, targets, optimiser states), fine-tuned with
//              `fine_tune_steps` updates on the transitions of S_aug               (line 11)
//     r     <- M(f') - M(f), M = the mean simulated rating of the meta casual users' greedy
//              episodes against the training simulator (the paper's online reward: "the change
//              of simulated rating")                                                 (line 12)
//     REINFORCE update of the augmentor with r (l2aug/method/reinforce.h, Eq. 6-7)        (line 13)
//     every F iterations (replay, lines 15-19): `replay_steps` updates of the agent, each on a
//       batch drawn half from the transitions of B other core users' augmented sequences and half
//       from B "original sequences" of users drawn uniformly from all training users (Note
//       [Online originals]).
// A sequence becomes transitions as consecutive lists of K items (replay_buffer.h, sequence_transitions).
//
// Note [Online originals]
// Offline, the replay's originals are the recommender's own training data, which keeps it anchored
// while it sees augmented data. An online agent's own training data is its experience with the
// simulator (LIRD Algorithm 3), so by default the originals are B fresh episodes, exploring as in
// training, of B users drawn uniformly. With `logged_originals` they are those users' logged
// sequences instead, the literal reading; measured on MovieLens (DQN, K = 4, seed 1, 20 replays)
// that pulls the agent towards logged behaviour the simulator rates lower: 3.75/3.92 casual/core
// after pretraining, 2.87/2.91 after the plain arm's replays (3.82/3.92 with fresh episodes).
//
// Note [Matched replay]
// The agent without L2Aug runs the same schedule with the augmentation switched off (Arm::plain):
// at the same iterations it takes the same number of updates on the transitions of the same users'
// original sequences. The two arms start from one pretrained agent and differ only in the edits, so
// a difference between them is the augmentation's, not extra training's.
#pragma once

#include <memory>
#include <vector>

#include "l2aug/method/augmentor.h"
#include "l2aug/method/reinforce.h"
#include "l2aug/online/episodes.h"

namespace l2::online {

struct OnlineL2AugConfig {
  std::int64_t batch = 32;            // B core sequences per iteration
  std::int64_t fine_tune_steps = 4;   // k: updates of f' per iteration
  std::int64_t replay_every = 5;      // F (paper, Section 5.1)
  std::int64_t replay_steps = 16;     // agent updates per replay
  bool logged_originals = false;      // Note [Online originals]
  std::int64_t iterations = 100;
  std::uint64_t seed = 1;
  method::AugmentorConfig augmentor;     // actions keep, drop by default (as offline)
  method::ReinforceOptions reinforce;
};

enum class Arm { plain, l2aug };

struct OnlineL2AugLogRow {
  std::int64_t iteration = 0;
  double reward = 0.0, meta_before = 0.0, meta_after = 0.0, entropy = 0.0;
  std::vector<double> action_probs;
  bool replayed = false;
};

struct RatedSequence {
  std::vector<std::int32_t> items;
  std::vector<float> ratings;
};

// The ratings of augmented sequences: an item the user rated keeps the user's rating; any other
// gets the environment's, list by list in the state formed by the items before it (only whole
// lists of K matter: a tail shorter than K makes no transition).
std::vector<RatedSequence> rate_augmented(const OnlineData& data, std::span<const std::int32_t> users,
                                          const std::vector<method::Augmented>& augmented, const Environment& env);

class OnlineL2Aug {
 public:
  // `agent` is the pretrained agent, updated in place; `shadow` an agent of the same kind and
  // configuration that serves as f'. `env` is the training simulator.
  OnlineL2Aug(Arm arm, Agent& agent, Agent& shadow, const OnlineData& data, const Environment& env,
              std::int64_t rounds, const OnlineL2AugConfig& config);
  ~OnlineL2Aug();

  void run();
  OnlineL2AugLogRow inner_step(std::int64_t i);  // lines 3-13 (Arm::l2aug only)
  void replay(std::int64_t i);                    // lines 15-19
  double meta_metric(const Agent& agent) const;   // M

  const std::vector<OnlineL2AugLogRow>& log() const { return log_; }
  method::Augmentor* policy() { return policy_.get(); }

 private:
  std::vector<std::int32_t> sample_core(std::int64_t n, std::uint64_t stream, const std::vector<std::int32_t>& avoid) const;
  std::vector<RatedSequence> sequences_of(const std::vector<std::int32_t>& users, bool augment, std::uint64_t stream,
                                          method::PolicyStep* step) const;
  Transitions transitions_of(const std::vector<RatedSequence>& seqs) const;
  // `steps` updates, each on a batch drawn uniformly from `t`, or half from `t` and half from
  // `other` when `other` is not empty.
  void updates(Agent& agent, const Transitions& t, const Transitions& other, std::int64_t steps,
               std::uint64_t stream) const;

  Arm arm_;
  Agent& agent_;
  Agent& shadow_;
  const OnlineData& data_;
  const Environment& env_;
  std::int64_t rounds_;
  OnlineL2AugConfig c_;
  std::vector<std::int32_t> core_;      // core training users with at least one list of K
  std::vector<EpisodeStart> meta_starts_;
  std::unique_ptr<method::ItemCorrelation> correlation_;
  std::unique_ptr<method::Augmentor> policy_;
  std::unique_ptr<method::Reinforce> reinforce_;
  double meta_cached_ = 0.0;
  bool meta_valid_ = false;
  std::vector<OnlineL2AugLogRow> log_;
};

}  // namespace l2::online
