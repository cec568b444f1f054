#include "l2aug/online/simulator.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>

#include "tensor/functional.h"

namespace l2::online {

double list_reward(std::span<const float> ratings, double Gamma) {
  double r = 0.0, w = 1.0;
  for (float x : ratings) {  // Σ_k Γ^(k-1) r_k
    r += w * double(x);
    w *= Gamma;
  }
  return r;
}

std::int64_t advance_state(std::span<std::int32_t> state, std::span<const std::int32_t> items,
                           std::span<const float> ratings, float positive) {
  L2_CHECK(items.size() == ratings.size(), "advance_state: " << items.size() << " items but " << ratings.size() << " ratings");
  std::int64_t entered = 0;
  for (size_t k = 0; k < items.size(); ++k) {
    if (!(ratings[k] >= positive)) continue;
    if (!state.empty()) {
      std::memmove(state.data(), state.data() + 1, (state.size() - 1) * sizeof(std::int32_t));
      state.back() = items[k];
    }
    ++entered;
  }
  return entered;
}

std::vector<std::int32_t> state_before(std::span<const std::int32_t> items, std::span<const float> ratings,
                                       std::int64_t end, std::int64_t N, float positive) {
  std::vector<std::int32_t> state(static_cast<size_t>(N), 0);
  std::int64_t slot = N;  // filled from the right, walking back in time
  for (std::int64_t t = end - 1; t >= 0 && slot > 0; --t)
    if (ratings[size_t(t)] >= positive) state[size_t(--slot)] = items[size_t(t)];
  return state;
}

void Memory::add(std::span<const std::int32_t> state, std::span<const std::int32_t> action, std::span<const float> r) {
  L2_CHECK(std::int64_t(state.size()) == N && std::int64_t(action.size()) == K && std::int64_t(r.size()) == K,
           "Memory::add: a tuple of " << state.size() << " state items, " << action.size() << " actions and " << r.size()
                                      << " ratings for a memory of N = " << N << ", K = " << K);
  states.insert(states.end(), state.begin(), state.end());
  actions.insert(actions.end(), action.begin(), action.end());
  ratings.insert(ratings.end(), r.begin(), r.end());
}

void add_sequence_tuples(Memory& m, std::span<const std::int32_t> items, std::span<const float> ratings,
                         std::int64_t begin, std::int64_t end, float positive) {
  L2_CHECK(items.size() == ratings.size() && 0 <= begin && begin <= end && end <= std::int64_t(items.size()),
           "add_sequence_tuples: range [" << begin << ", " << end << ") of a sequence of " << items.size());
  std::vector<std::int32_t> state = state_before(items, ratings, begin, m.N, positive);
  for (std::int64_t t = begin; t + m.K <= end; ++t) {
    if (state.back() != 0)  // at least one liked item (Note [Memory tuples])
      m.add(state, items.subspan(size_t(t), size_t(m.K)), ratings.subspan(size_t(t), size_t(m.K)));
    advance_state(state, items.subspan(size_t(t), 1), ratings.subspan(size_t(t), 1), positive);
  }
}

const char* mode_name(SimulatorConfig::Mode m) {
  return m == SimulatorConfig::Mode::most_probable ? "most-probable" : "expectation";
}

SimulatorConfig::Mode parse_mode(const std::string& name) {
  for (auto m : {SimulatorConfig::Mode::most_probable, SimulatorConfig::Mode::expectation})
    if (name == mode_name(m)) return m;
  L2_FAIL("unknown simulator mode '" << name << "' (known: most-probable, expectation)");
}

namespace {

// Writes the concatenated embeddings of `ids` (n of them) into out[n*D], scaled to unit length
// times `weight` (zero stays zero: cos against a zero vector is taken as 0).
void unit_concat(float* out, const std::int32_t* ids, std::int64_t n, const Tensor& E, std::int64_t D, float weight) {
  double norm2 = 0.0;
  for (std::int64_t j = 0; j < n; ++j) {
    const float* e = E.data() + std::int64_t(ids[j]) * D;
    for (std::int64_t d = 0; d < D; ++d) {
      out[j * D + d] = e[d];
      norm2 += double(e[d]) * double(e[d]);
    }
  }
  const float s = norm2 > 0.0 ? float(double(weight) / std::sqrt(norm2)) : 0.0f;
  for (std::int64_t i = 0; i < n * D; ++i) out[i] *= s;
}

void normalise(float* x, std::int64_t n) {
  double norm2 = 0.0;
  for (std::int64_t i = 0; i < n; ++i) norm2 += double(x[i]) * double(x[i]);
  const float s = norm2 > 0.0 ? float(1.0 / std::sqrt(norm2)) : 0.0f;
  for (std::int64_t i = 0; i < n; ++i) x[i] *= s;
}

}  // namespace

MemorySimulator::MemorySimulator(const Memory& memory, Tensor embeddings, const SimulatorConfig& c)
    : c_(c), E_(std::move(embeddings)) {
  L2_CHECK(c.N > 0 && c.K > 0, "simulator: the state length and the list size must be positive, got N = " << c.N
                                                                                                     << ", K = " << c.K);
  L2_CHECK(c.alpha >= 0.0f && c.alpha <= 1.0f, "simulator: alpha must be in [0, 1], got " << c.alpha);
  L2_CHECK(memory.N == c.N && memory.K == c.K, "simulator: a memory of N = " << memory.N << ", K = " << memory.K
                                                                             << " for a simulator of N = " << c.N
                                                                             << ", K = " << c.K << " (rebuild it)");
  L2_CHECK(memory.size() > 0, "simulator: the memory is empty (no logged list of " << c.K << " items after a liked item)");
  L2_CHECK(E_.ndim() == 2, "simulator: embeddings must be [V + 1, D], got " << E_.shape());
  D_ = E_.dim(1);
  memory_size_ = memory.size();
  const std::int64_t N = c.N, K = c.K, D = D_, W = (N + K) * D;
  // Patterns in lexicographic order; each tuple adds its unit state and unit action to its group.
  std::map<std::vector<float>, std::int64_t> index;
  for (std::int64_t i = 0; i < memory_size_; ++i)
    index.emplace(std::vector<float>(memory.ratings.begin() + i * K, memory.ratings.begin() + (i + 1) * K), 0);
  std::int64_t x = 0;
  for (auto& [pattern, slot] : index) {
    slot = x++;
    groups_.push_back({pattern, 0});
  }
  keys_ = Tensor::zeros(Shape{x, W});
  std::vector<float> row(static_cast<size_t>(W));
  for (std::int64_t i = 0; i < memory_size_; ++i) {
    for (std::int32_t id : std::span(memory.states.data() + i * N, size_t(N)))
      L2_CHECK(id >= 0 && id < E_.dim(0), "simulator: memory item " << id << " outside the " << E_.dim(0) - 1 << " items");
    for (std::int32_t id : std::span(memory.actions.data() + i * K, size_t(K)))
      L2_CHECK(id > 0 && id < E_.dim(0), "simulator: memory item " << id << " outside the " << E_.dim(0) - 1 << " items");
    const std::int64_t g = index.at(std::vector<float>(memory.ratings.begin() + i * K, memory.ratings.begin() + (i + 1) * K));
    unit_concat(row.data(), memory.states.data() + i * N, N, E_, D, 1.0f);
    unit_concat(row.data() + N * D, memory.actions.data() + i * K, K, E_, D, 1.0f);
    float* key = keys_.data() + g * W;
    for (std::int64_t j = 0; j < W; ++j) key[j] += row[size_t(j)];
    ++groups_[size_t(g)].count;
  }
  // cos(s_t, s̄_x) needs only the direction of the mean: store the unit means (the 1/N_x cancels).
  for (std::int64_t g = 0; g < x; ++g) {
    normalise(keys_.data() + g * W, N * D);
    normalise(keys_.data() + g * W + N * D, K * D);
  }
}

Tensor MemorySimulator::query(const IndexTensor& states, const IndexTensor& lists) const {
  const std::int64_t N = c_.N, K = c_.K, D = D_;
  L2_CHECK(states.ndim() == 2 && states.dim(1) == N && lists.ndim() == 2 && lists.dim(1) == K &&
               states.dim(0) == lists.dim(0),
           "simulator: states must be [Q, " << N << "] and lists [Q, " << K << "], got " << states.shape() << " and "
                                            << lists.shape());
  check_ids("simulator (states)", states, E_.dim(0));
  check_ids("simulator (lists)", lists, E_.dim(0));
  const std::int64_t Q = states.dim(0), W = (N + K) * D;
  Tensor q = Tensor::empty(Shape{Q, W});
  for (std::int64_t r = 0; r < Q; ++r) {
    unit_concat(q.data() + r * W, states.data() + r * N, N, E_, D, c_.alpha);
    unit_concat(q.data() + r * W + N * D, lists.data() + r * K, K, E_, D, 1.0f - c_.alpha);
  }
  return q;
}

Tensor MemorySimulator::pattern_scores(const IndexTensor& states, const IndexTensor& lists) const {
  return fn::matmul(query(states, lists), keys_, false, true);  // [Q, X]: α cos(s, s̄_x) + (1-α) cos(a, ā_x)
}

Tensor MemorySimulator::rate(const IndexTensor& states, const IndexTensor& lists) const {
  const Tensor p = pattern_scores(states, lists);
  const std::int64_t Q = p.dim(0), X = p.dim(1), K = c_.K;
  Tensor out = Tensor::zeros(Shape{Q, K});
  for (std::int64_t r = 0; r < Q; ++r) {
    const float* pr = p.data() + r * X;
    float* o = out.data() + r * K;
    const std::int64_t best = std::max_element(pr, pr + X) - pr;  // the first of equals: the lowest pattern
    double total = 0.0;
    if (c_.mode == SimulatorConfig::Mode::expectation)
      for (std::int64_t x = 0; x < X; ++x) total += std::max(0.0, double(pr[x]));
    if (total <= 0.0) {  // most probable pattern (and the expectation's fallback when no score is positive)
      std::copy(groups_[size_t(best)].ratings.begin(), groups_[size_t(best)].ratings.end(), o);
      continue;
    }
    // Eq. 1 can be negative for embeddings of mixed sign; a probability needs weights >= 0, so a
    // negative similarity counts as none.
    std::vector<double> e(static_cast<size_t>(K), 0.0);
    for (std::int64_t x = 0; x < X; ++x) {
      const double w = std::max(0.0, double(pr[x])) / total;
      for (std::int64_t k = 0; k < K; ++k) e[size_t(k)] += w * double(groups_[size_t(x)].ratings[size_t(k)]);
    }
    for (std::int64_t k = 0; k < K; ++k) o[k] = float(e[size_t(k)]);
  }
  return out;
}

}  // namespace l2::online
