#include "l2aug/online/agent.h"

#include <cstring>

#include "l2aug/online/dqn.h"
#include "l2aug/online/lird.h"
#include "tensor/functional.h"

namespace l2::online {

ItemMask::ItemMask(std::int64_t rows_, std::int32_t num_items)
    : rows(rows_), width(std::int64_t(num_items) + 1), bits(size_t(rows_ * width), 0) {
  for (std::int64_t b = 0; b < rows; ++b) bits[size_t(b * width)] = 1;  // the padding item
}

std::int64_t ItemMask::allowed(std::int64_t b) const {
  std::int64_t n = 0;
  for (std::int64_t i = 0; i < width; ++i) n += bits[size_t(b * width + i)] == 0;
  return n;
}

ItemMask mask_of_states(const std::vector<std::int32_t>& states, std::int64_t N, std::int32_t num_items) {
  const std::int64_t B = N ? std::int64_t(states.size()) / N : 0;
  ItemMask m(B, num_items);
  for (std::int64_t b = 0; b < B; ++b)
    for (std::int64_t j = 0; j < N; ++j) m.exclude(b, states[size_t(b * N + j)]);
  return m;
}

Agent::Agent(Tensor embeddings, std::int64_t N, std::int64_t K, const AgentConfig& c)
    : E_(std::move(embeddings)), N_(N), K_(K), c_(c) {
  L2_CHECK(E_.ndim() == 2 && E_.dim(0) >= 2, "agent: embeddings must be [V + 1, D], got " << E_.shape());
  L2_CHECK(N > 0 && K > 0 && K < E_.dim(0), "agent: need N > 0 and 0 < K <= " << E_.dim(0) - 1 << " items, got N = " << N
                                                                               << ", K = " << K);
  L2_CHECK(c.hidden > 0 && c.batch > 0 && c.buffer > 0 && c.lr > 0.0f && c.actor_lr > 0.0f && c.target_every > 0,
           "agent: hidden, batch, buffer, lr, actor_lr and target_every must be positive");
  L2_CHECK(c.gamma >= 0.0f && c.gamma < 1.0f && c.tau > 0.0f && c.tau <= 1.0f && c.epsilon >= 0.0f && c.epsilon <= 1.0f,
           "agent: gamma must be in [0, 1), tau in (0, 1], epsilon in [0, 1]");
  D_ = E_.dim(1);
}

Var Agent::embed(const IndexTensor& ids) const { return constant(fn::gather_rows(E_, ids)); }

std::vector<std::int32_t> Agent::recommend(const IndexTensor& states, const ItemMask& excluded, float epsilon,
                                           Generator* g) const {
  L2_CHECK(states.ndim() == 2 && states.dim(1) == N_, "agent: states must be [B, " << N_ << "], got " << states.shape());
  return pick_lists(slot_scores(states), excluded, epsilon, g);
}

std::vector<std::int32_t> Agent::pick_lists(const Tensor& scores, const ItemMask& excluded, float epsilon,
                                            Generator* g) const {
  const std::int64_t B = scores.dim(0), S = scores.dim(1), V1 = E_.dim(0);
  L2_CHECK(scores.ndim() == 3 && scores.dim(2) == V1 && (S == 1 || S == K_), "agent: slot scores " << scores.shape());
  L2_CHECK(excluded.rows == B && excluded.width == V1, "agent: an item mask of " << excluded.rows << " x " << excluded.width
                                                                                  << " for " << B << " states and " << V1
                                                                                  << " item slots");
  std::vector<std::int32_t> lists(static_cast<size_t>(B * K_));
  std::vector<std::uint8_t> taken(static_cast<size_t>(V1));
  for (std::int64_t b = 0; b < B; ++b) {
    std::memcpy(taken.data(), excluded.bits.data() + b * V1, size_t(V1));
    for (std::int64_t k = 0; k < K_; ++k) {
      std::int32_t best = -1;
      if (g && epsilon > 0.0f && g->uniform() < epsilon) {
        best = std::int32_t(g->integer_avoiding(1, V1, [&](std::int64_t i) { return taken[size_t(i)] != 0; }));
      } else {
        const float* s = scores.data() + (b * S + (S == 1 ? 0 : k)) * V1;
        for (std::int32_t i = 1; i < V1; ++i)  // the first of equal scores: the lowest id
          if (!taken[size_t(i)] && (best < 0 || s[i] > s[best])) best = i;
      }
      L2_CHECK(best > 0, "agent: row " << b << " has fewer than " << K_ << " items left to recommend");
      taken[size_t(best)] = 1;
      lists[size_t(b * K_ + k)] = best;
    }
  }
  return lists;
}

const char* agent_kind_name(AgentKind k) { return k == AgentKind::dqn ? "dqn" : "lird"; }

AgentKind parse_agent_kind(const std::string& name) {
  for (AgentKind k : {AgentKind::dqn, AgentKind::lird})
    if (name == agent_kind_name(k)) return k;
  L2_FAIL("unknown agent '" << name << "' (known: dqn, lird)");
}

std::unique_ptr<Agent> make_agent(AgentKind kind, Tensor embeddings, std::int64_t N, std::int64_t K,
                                  const AgentConfig& config) {
  if (kind == AgentKind::dqn) return std::make_unique<DQN>(std::move(embeddings), N, K, config);
  return std::make_unique<LIRD>(std::move(embeddings), N, K, config);
}

}  // namespace l2::online
