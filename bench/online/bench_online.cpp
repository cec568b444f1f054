// Online-experiment benchmark: the costs that bound a Figure 5 run, at MovieLens-100K's
// shape (1682 items, D = 32, N = 12) on random embeddings and a random memory: one simulator query
// batch, one DQN and one LIRD update (batch 64), one round of recommendations for 32 episodes,
// and one batch of the item-embedding network.
//   bench_online [--threads N] [--reps R] [--K 4]
#include <cstdio>
#include <string>

#include "bench/harness.h"
#include "l2aug/online/dqn.h"
#include "l2aug/online/embeddings.h"
#include "l2aug/online/lird.h"
#include "l2aug/online/simulator.h"
#include "tensor/parallel.h"

using namespace l2;
using namespace l2::online;
using namespace l2::bench;

int main(int argc, char** argv) {
  const bench::Args args(argc, argv, "bench_online [--threads N] [--reps R] [--K 4]", {"--threads", "--reps", "--K"});
  const int threads = std::stoi(args.get("--threads", "0"));
  if (threads > 0) set_num_threads(threads);
  const int reps = std::stoi(args.get("--reps", "9"));
  const std::int64_t K = std::stoll(args.get("--K", "4"));
  const std::int64_t V = 1682, D = 32, N = 12, tuples = 60000;
  Generator g(1);
  Tensor E = Tensor::empty(Shape{V + 1, D});
  for (std::int64_t i = 0; i < E.numel(); ++i) E[i] = i < D ? 0.0f : g.uniform(-1.0f, 1.0f);
  Memory m{N, K, {}, {}, {}};
  std::vector<std::int32_t> s(static_cast<size_t>(N)), a(static_cast<size_t>(K));
  std::vector<float> r(static_cast<size_t>(K));
  for (std::int64_t t = 0; t < tuples; ++t) {
    for (auto& x : s) x = std::int32_t(g.integer(1, V + 1));
    for (auto& x : a) x = std::int32_t(g.integer(1, V + 1));
    for (auto& x : r) x = float(g.integer(1, 6));
    m.add(s, a, r);
  }
  SimulatorConfig sc;
  sc.N = N;
  sc.K = K;
  const MemorySimulator sim(m, E, sc);
  std::printf("threads %d, K %lld, %lld memory tuples in %zu patterns\n", num_threads(), (long long)K, (long long)tuples,
              sim.groups().size());

  const std::int64_t Q = 32, B = 64;
  std::vector<std::int32_t> states(static_cast<size_t>(B * N)), lists(static_cast<size_t>(B * K));
  for (auto& x : states) x = std::int32_t(g.integer(1, V + 1));
  for (auto& x : lists) x = std::int32_t(g.integer(1, V + 1));
  const IndexTensor qs = IndexTensor::from(Shape{Q, N}, std::vector<std::int32_t>(states.begin(), states.begin() + Q * N));
  const IndexTensor ql = IndexTensor::from(Shape{Q, K}, std::vector<std::int32_t>(lists.begin(), lists.begin() + Q * K));
  std::printf("simulator: rate %lld lists            %8.3f ms\n", (long long)Q,
              1e3 * median_seconds([&] { sim.rate(qs, ql); }, reps));

  Transitions t(N, K);
  for (std::int64_t b = 0; b < B; ++b) {
    for (auto& x : r) x = float(g.integer(1, 6));
    t.add(std::span(states).subspan(size_t(b * N), size_t(N)), std::span(lists).subspan(size_t(b * K), size_t(K)), r,
          std::span(states).subspan(size_t(b * N), size_t(N)));
  }
  const ItemMask none(Q, std::int32_t(V));
  for (AgentKind kind : {AgentKind::dqn, AgentKind::lird}) {
    const std::unique_ptr<Agent> agent = make_agent(kind, E, N, K, AgentConfig{});
    std::printf("%-4s: update (batch %lld)           %8.3f ms\n", agent_kind_name(kind), (long long)B,
                1e3 * median_seconds([&] { agent->update(t); }, reps));
    std::printf("%-4s: recommend to %lld episodes     %8.3f ms\n", agent_kind_name(kind), (long long)Q,
                1e3 * median_seconds([&] { agent->recommend(qs, none, 0.0f, nullptr); }, reps));
  }

  std::vector<std::vector<std::int32_t>> seqs(200);
  for (auto& q : seqs)
    for (std::int64_t k = 0; k < 150; ++k) q.push_back(std::int32_t(g.integer(1, V + 1)));
  std::vector<std::span<const std::int32_t>> spans(seqs.begin(), seqs.end());
  EmbeddingConfig ec;
  ec.steps = 20;
  EmbeddingReport rep;
  train_item_embeddings(spans, std::int32_t(V), ec, &rep);
  std::printf("embeddings: one batch of %lld            %8.3f ms\n", (long long)ec.batch, 1e3 * rep.seconds / double(ec.steps));
  return 0;
}
