// The memory-based user simulator of LIRD (Zhao et al. 2017, "Deep Reinforcement Learning for
// List-wise Recommendations", Section 3.2), used by the online experiment of the L2Aug paper
// (Section 5.3.2, Figure 5): given a user's state and a recommended list, it answers with the
// ratings that users in similar logged situations gave.
//
// A memory tuple (s_i, a_i, r_i) is a logged situation: s_i the N most recent items the user
// liked (rating >= the positive threshold), a_i the K items the user rated next, r_i their K
// ratings (Note [Memory tuples]). Items enter as their embeddings, concatenated: s is N*D long,
// a is K*D long.
//   Eq. 1   P(s_t, a_t -> r_i) ∝ α cos(s_t, s_i) + (1 - α) cos(a_t, a_i)
//   Eq. 3   the memory is grouped by reward pattern U_x (the tuple of K ratings); each group is
//           represented by its mean unit state s̄_x = (1/N_x) Σ_{i∈x} s_i/|s_i| and mean unit
//           action ā_x, and P_x ∝ α cos(s_t, s̄_x) + (1 - α) cos(a_t, ā_x)  ("grouped cosine",
//           the variant the public reimplementations run; docs/model-specs.md#lird-simulator-and-dqn)
//   answer  the per-item ratings U_x of the most probable pattern (default), or their
//           expectation Σ_x P_x U_x[k] (Mode::expectation)
//   Eq. 4   list reward r_t = Σ_{k=1..K} Γ^(k-1) r_t^k
// The state transition (LIRD Algorithm 3, lines 12-15): every recommended item whose rating is
// positive is appended to the state and the oldest item leaves, so the state stays N long.
//
// Note [Memory tuples]
// A logged user sequence x_1..x_n with ratings q_1..q_n gives one tuple per position t whose K
// items x_t..x_{t+K-1} lie in the part of the log the memory is built from: the state is the N most
// recent positives before t (left-padded with the padding item 0, whose embedding is zero, when the
// user has liked fewer), the action the K items, the reward pattern their ratings. A state must hold
// at least one item: cos is undefined for a zero vector. States are built exactly as the episodes
// build them (positives only, most recent last), so a simulated state and a logged one mean the
// same thing.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "tensor/tensor.h"

namespace l2::online {

// What a recommender interacts with: the answer of users to recommended lists.
class Environment {
 public:
  virtual ~Environment() = default;
  virtual std::int64_t state_length() const = 0;  // N
  virtual std::int64_t list_size() const = 0;     // K
  virtual float positive_rating() const = 0;      // a rating at least this is positive
  // Ratings of each list in its state: states [Q, N] and lists [Q, K] of item ids -> [Q, K].
  virtual Tensor rate(const IndexTensor& states, const IndexTensor& lists) const = 0;
};

// Eq. 4: Σ_k Γ^(k-1) r_k.
double list_reward(std::span<const float> ratings, double Gamma);

// LIRD Algorithm 3, lines 12-15: appends each item whose rating is >= positive to `state` (N ids,
// oldest first), dropping the oldest one each time. Returns how many items entered.
std::int64_t advance_state(std::span<std::int32_t> state, std::span<const std::int32_t> items,
                           std::span<const float> ratings, float positive);

// The N most recent positives of `items[0, end)` given their ratings, left-padded with 0.
std::vector<std::int32_t> state_before(std::span<const std::int32_t> items, std::span<const float> ratings,
                                       std::int64_t end, std::int64_t N, float positive);

// Logged tuples (Note [Memory tuples]), flat: tuple i is states[i*N, (i+1)*N), actions[i*K, ...),
// ratings[i*K, ...).
struct Memory {
  std::int64_t N = 0, K = 0;
  std::vector<std::int32_t> states, actions;
  std::vector<float> ratings;
  std::int64_t size() const { return K ? std::int64_t(actions.size()) / K : 0; }
  void add(std::span<const std::int32_t> state, std::span<const std::int32_t> action, std::span<const float> ratings);
};

// Adds the tuples of one logged sequence whose actions start in [begin, end - K] (the part of the
// log the memory is built from; the state may reach back before `begin`).
void add_sequence_tuples(Memory& memory, std::span<const std::int32_t> items, std::span<const float> ratings,
                         std::int64_t begin, std::int64_t end, float positive);

struct SimulatorConfig {
  std::int64_t N = 12;     // state length (egipcy history_length, luozachary state 12)
  std::int64_t K = 4;      // list size (egipcy ra_length)
  float alpha = 0.5f;      // α of Eq. 1 (egipcy, luozachary)
  float Gamma = 0.9f;      // Γ of Eq. 4 (egipcy, luozachary)
  float positive = 4.0f;   // a rating at least this is positive (ML ratings are 1-5)
  enum class Mode { most_probable, expectation } mode = Mode::most_probable;
};
const char* mode_name(SimulatorConfig::Mode m);                // "most-probable", "expectation"
SimulatorConfig::Mode parse_mode(const std::string& name);     // throws naming the known modes

// One reward pattern of the memory: U_x, N_x and the unit mean vectors of Eq. 3.
struct PatternGroup {
  std::vector<float> ratings;  // U_x, K long
  std::int64_t count = 0;      // N_x
};

class MemorySimulator : public Environment {
 public:
  // embeddings: [V + 1, D], row 0 (padding) zero. Groups the memory by reward pattern (Eq. 3);
  // patterns are kept in lexicographic order of their ratings, which fixes every tie-break.
  MemorySimulator(const Memory& memory, Tensor embeddings, const SimulatorConfig& config);

  std::int64_t state_length() const override { return c_.N; }
  std::int64_t list_size() const override { return c_.K; }
  float positive_rating() const override { return c_.positive; }
  Tensor rate(const IndexTensor& states, const IndexTensor& lists) const override;

  // P_x before normalisation (Eq. 1 against the group means), [Q, X].
  Tensor pattern_scores(const IndexTensor& states, const IndexTensor& lists) const;
  const std::vector<PatternGroup>& groups() const { return groups_; }
  const SimulatorConfig& config() const { return c_; }
  std::int64_t memory_size() const { return memory_size_; }

 private:
  // The query rows [α ŝ_t, (1-α) â_t] (unit state and action, weighted), [Q, (N + K) D].
  Tensor query(const IndexTensor& states, const IndexTensor& lists) const;

  SimulatorConfig c_;
  Tensor E_;                          // [V + 1, D]
  std::int64_t D_ = 0, memory_size_ = 0;
  std::vector<PatternGroup> groups_;  // X patterns
  Tensor keys_;                       // [X, (N + K) D]: the unit group means [ŝ_x, â_x]
};

}  // namespace l2::online
