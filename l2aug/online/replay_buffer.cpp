#include "l2aug/online/replay_buffer.h"

#include <algorithm>

#include "l2aug/online/simulator.h"
#include "tensor/check.h"

namespace l2::online {

void Transitions::add(std::span<const std::int32_t> s, std::span<const std::int32_t> a, std::span<const float> r,
                      std::span<const std::int32_t> s2) {
  L2_CHECK(std::int64_t(s.size()) == N && std::int64_t(s2.size()) == N && std::int64_t(a.size()) == K &&
               std::int64_t(r.size()) == K,
           "Transitions::add: a transition of " << s.size() << "/" << s2.size() << " state items, " << a.size()
                                                << " items and " << r.size() << " ratings for N = " << N << ", K = " << K);
  states.insert(states.end(), s.begin(), s.end());
  lists.insert(lists.end(), a.begin(), a.end());
  ratings.insert(ratings.end(), r.begin(), r.end());
  next_states.insert(next_states.end(), s2.begin(), s2.end());
}

void Transitions::append(const Transitions& o) {
  L2_CHECK(o.N == N && o.K == K, "Transitions::append: N = " << o.N << ", K = " << o.K << " into N = " << N << ", K = " << K);
  states.insert(states.end(), o.states.begin(), o.states.end());
  lists.insert(lists.end(), o.lists.begin(), o.lists.end());
  ratings.insert(ratings.end(), o.ratings.begin(), o.ratings.end());
  next_states.insert(next_states.end(), o.next_states.begin(), o.next_states.end());
}

void Transitions::append_one(const Transitions& o, std::int64_t i) {
  add(std::span(o.states).subspan(size_t(i * N), size_t(N)), std::span(o.lists).subspan(size_t(i * K), size_t(K)),
      std::span(o.ratings).subspan(size_t(i * K), size_t(K)), std::span(o.next_states).subspan(size_t(i * N), size_t(N)));
}

Transitions Transitions::rows(std::span<const std::int64_t> which) const {
  Transitions out(N, K);
  for (std::int64_t i : which) out.append_one(*this, i);
  return out;
}

Transitions sequence_transitions(std::span<const std::int32_t> items, std::span<const float> ratings, std::int64_t N,
                                 std::int64_t K, float positive) {
  L2_CHECK(items.size() == ratings.size(), "sequence_transitions: " << items.size() << " items, " << ratings.size()
                                                                    << " ratings");
  Transitions out(N, K);
  std::vector<std::int32_t> state(static_cast<size_t>(N), 0), next;
  for (std::int64_t t = 0; t + K <= std::int64_t(items.size()); t += K) {
    next = state;
    const auto list = items.subspan(size_t(t), size_t(K));
    const auto r = ratings.subspan(size_t(t), size_t(K));
    advance_state(next, list, r, positive);
    out.add(state, list, r, next);
    state.swap(next);
  }
  return out;
}

ReplayBuffer::ReplayBuffer(std::int64_t capacity, std::int64_t N, std::int64_t K) : capacity_(capacity), data_(N, K) {
  L2_CHECK(capacity > 0, "replay buffer: the capacity must be positive, got " << capacity);
}

void ReplayBuffer::add(const Transitions& t) {
  const std::int64_t N = data_.N, K = data_.K;
  L2_CHECK(t.N == N && t.K == K, "replay buffer: transitions of N = " << t.N << ", K = " << t.K << " into N = " << N
                                                                      << ", K = " << K);
  for (std::int64_t i = 0; i < t.size(); ++i) {
    if (size_ < capacity_) {
      data_.append_one(t, i);
      ++size_;
      continue;
    }
    std::copy_n(t.states.begin() + i * N, N, data_.states.begin() + next_ * N);
    std::copy_n(t.lists.begin() + i * K, K, data_.lists.begin() + next_ * K);
    std::copy_n(t.ratings.begin() + i * K, K, data_.ratings.begin() + next_ * K);
    std::copy_n(t.next_states.begin() + i * N, N, data_.next_states.begin() + next_ * N);
    next_ = (next_ + 1) % capacity_;
  }
}

Transitions ReplayBuffer::sample(std::int64_t n, Generator& g) const {
  L2_CHECK(size_ > 0, "replay buffer: sampling from an empty buffer");
  std::vector<std::int64_t> which(static_cast<size_t>(n));
  for (auto& w : which) w = g.integer(0, size_);
  return data_.rows(which);
}

}  // namespace l2::online
