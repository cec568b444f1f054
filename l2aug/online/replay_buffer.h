// Transitions of list-wise recommendation and the experience-replay buffer both agents learn from.
// A transition is (s_t, a_t, r_t, s_{t+1}) with the state and the list as item ids (a replay
// buffer of item ids rather than embeddings: the agents look the embeddings up when they
// learn, so a buffer of a million transitions costs ids, not N*D floats each) and the per-item
// ratings r_t^1..r_t^K (each agent forms its own reward from them).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "tensor/random.h"

namespace l2::online {

// n transitions, flat: transition i is states[i*N, (i+1)*N), lists[i*K, ...), ratings[i*K, ...),
// next_states[i*N, ...).
struct Transitions {
  std::int64_t N = 0, K = 0;
  std::vector<std::int32_t> states, lists, next_states;
  std::vector<float> ratings;

  Transitions() = default;
  Transitions(std::int64_t N, std::int64_t K) : N(N), K(K) {}
  std::int64_t size() const { return K ? std::int64_t(lists.size()) / K : 0; }
  void add(std::span<const std::int32_t> state, std::span<const std::int32_t> list, std::span<const float> ratings,
           std::span<const std::int32_t> next_state);
  void append(const Transitions& other);     // same N and K
  void append_one(const Transitions& other, std::int64_t i);
  Transitions rows(std::span<const std::int64_t> which) const;  // a copy of the chosen transitions
};

// The transitions of one rated sequence read as consecutive lists of K items (LIRD's logged data
// as an agent's experience): the list at t = 0, K, 2K, ... (whole lists only) in the state of the
// N most recent positives before it (simulator.h, Note [Memory tuples]), the state after it next.
Transitions sequence_transitions(std::span<const std::int32_t> items, std::span<const float> ratings, std::int64_t N,
                                 std::int64_t K, float positive);

// A ring buffer: once full, each new transition replaces the oldest.
class ReplayBuffer {
 public:
  ReplayBuffer(std::int64_t capacity, std::int64_t N, std::int64_t K);
  void add(const Transitions& t);
  std::int64_t size() const { return size_; }
  std::int64_t capacity() const { return capacity_; }
  // n transitions drawn uniformly with replacement.
  Transitions sample(std::int64_t n, Generator& g) const;

 private:
  std::int64_t capacity_, size_ = 0, next_ = 0;
  Transitions data_;  // capacity_ slots once full
};

}  // namespace l2::online
