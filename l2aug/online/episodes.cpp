#include "l2aug/online/episodes.h"

#include <algorithm>
#include <chrono>

namespace l2::online {

EpisodeStart boundary_start(const OnlineData& data, std::int32_t user, std::int64_t N, float positive) {
  EpisodeStart s;
  s.user = user;
  s.state = state_before(data.items(user), data.ratings(user), data.train_length(user), N, positive);
  s.seen = data.train_items(user);
  return s;
}

EpisodeStart random_start(const OnlineData& data, std::int32_t user, std::int64_t N, float positive, Generator& g) {
  EpisodeStart s;
  s.user = user;
  const std::int64_t at = g.integer(1, data.train_length(user) + 1);  // after at least one item
  s.state = state_before(data.items(user), data.ratings(user), at, N, positive);
  s.seen = data.train_items(user);
  return s;
}

EpisodeBatch::EpisodeBatch(std::span<const EpisodeStart> starts, std::int32_t num_items, std::int64_t N)
    : B_(std::int64_t(starts.size())), N_(N), excluded_(std::int64_t(starts.size()), num_items),
      rating_sum_(starts.size(), 0.0), rated_(starts.size(), 0) {
  for (std::int64_t b = 0; b < B_; ++b) {
    const EpisodeStart& s = starts[size_t(b)];
    L2_CHECK(std::int64_t(s.state.size()) == N, "episode: a start state of " << s.state.size() << " items, N = " << N);
    states_.insert(states_.end(), s.state.begin(), s.state.end());
    for (std::int32_t i : s.seen) excluded_.exclude(b, i);
  }
}

Transitions EpisodeBatch::round(const Agent& agent, const Environment& env, float epsilon, Generator* g) {
  const std::int64_t K = env.list_size();
  L2_CHECK(agent.K() == K && agent.N() == N_ && env.state_length() == N_,
           "episode: an agent of N = " << agent.N() << ", K = " << agent.K() << " in an environment of N = "
                                       << env.state_length() << ", K = " << K);
  const IndexTensor states = IndexTensor::from(Shape{B_, N_}, states_);
  const std::vector<std::int32_t> lists = agent.recommend(states, excluded_, epsilon, g);
  const Tensor ratings = env.rate(states, IndexTensor::from(Shape{B_, K}, lists));
  Transitions out(N_, K);
  std::vector<std::int32_t> next(static_cast<size_t>(N_));
  for (std::int64_t b = 0; b < B_; ++b) {
    const std::span<const std::int32_t> list(lists.data() + b * K, size_t(K));
    const std::span<const float> r(ratings.data() + b * K, size_t(K));
    const std::span<std::int32_t> state(states_.data() + b * N_, size_t(N_));
    std::copy(state.begin(), state.end(), next.begin());
    advance_state(next, list, r, env.positive_rating());
    out.add(state, list, r, next);
    std::copy(next.begin(), next.end(), state.begin());
    for (std::int64_t k = 0; k < K; ++k) {
      excluded_.exclude(b, list[size_t(k)]);
      rating_sum_[size_t(b)] += double(r[size_t(k)]);
    }
    rated_[size_t(b)] += K;
  }
  return out;
}

std::vector<double> EpisodeBatch::mean_ratings() const {
  std::vector<double> m(rating_sum_.size(), 0.0);
  for (size_t b = 0; b < m.size(); ++b) m[b] = rated_[b] ? rating_sum_[b] / double(rated_[b]) : 0.0;
  return m;
}

namespace {

std::vector<double> run_episodes(const Agent& agent, const Environment& env, std::span<const EpisodeStart> starts,
                                 std::int64_t rounds, std::int64_t chunk, float epsilon, Generator* g) {
  std::vector<double> out;
  out.reserve(starts.size());
  for (size_t b0 = 0; b0 < starts.size(); b0 += size_t(chunk)) {
    EpisodeBatch batch(starts.subspan(b0, std::min(size_t(chunk), starts.size() - b0)), agent.num_items(), agent.N());
    for (std::int64_t t = 0; t < rounds; ++t) batch.round(agent, env, epsilon, g);
    const std::vector<double> m = batch.mean_ratings();
    out.insert(out.end(), m.begin(), m.end());
  }
  return out;
}

}  // namespace

std::vector<double> evaluate(const Agent& agent, const Environment& env, std::span<const EpisodeStart> starts,
                             std::int64_t rounds, std::int64_t chunk) {
  return run_episodes(agent, env, starts, rounds, chunk, 0.0f, nullptr);
}

std::vector<double> evaluate_random(const Agent& agent, const Environment& env, std::span<const EpisodeStart> starts,
                                    std::int64_t rounds, std::uint64_t seed) {
  Generator g(seed, 0x4A4D);
  return run_episodes(agent, env, starts, rounds, 256, 1.0f, &g);
}

StartSampler training_starts(const OnlineData& data, std::span<const std::int32_t> users, std::int64_t N, float positive) {
  L2_CHECK(!users.empty(), "online training: no users to start episodes from");
  return [&data, users, N, positive](Generator& g) {
    return random_start(data, users[size_t(g.integer(0, std::int64_t(users.size())))], N, positive, g);
  };
}

TrainReport train_online(Agent& agent, const Environment& env, const StartSampler& draw_start,
                         const OnlineTrainConfig& c, std::uint64_t seed) {
  L2_CHECK(c.episodes > 0 && c.rounds > 0 && c.parallel > 0 && c.updates_per_round >= 0 && c.warmup >= 0,
           "online training: episodes, rounds and parallel must be positive, updates_per_round and warmup >= 0");
  const auto start = std::chrono::steady_clock::now();
  ReplayBuffer buffer(agent.config().buffer, agent.N(), agent.K());
  TrainReport report;
  double rating_sum = 0.0;
  for (std::int64_t e0 = 0, wave = 0; e0 < c.episodes; e0 += c.parallel, ++wave) {
    // Each wave of episodes has its own streams: starts, exploration, replay draws.
    Generator starts_g(seed, 0x5700000000ull + std::uint64_t(wave));
    Generator explore(seed, 0x5800000000ull + std::uint64_t(wave));
    Generator replay(seed, 0x5900000000ull + std::uint64_t(wave));
    const std::int64_t n = std::min(c.parallel, c.episodes - e0);
    std::vector<EpisodeStart> starts;
    for (std::int64_t b = 0; b < n; ++b) starts.push_back(draw_start(starts_g));
    EpisodeBatch batch(starts, agent.num_items(), agent.N());
    for (std::int64_t t = 0; t < c.rounds; ++t) {
      buffer.add(batch.round(agent, env, agent.config().epsilon, &explore));
      if (buffer.size() < c.warmup) continue;
      for (std::int64_t u = 0; u < c.updates_per_round; ++u) {
        const UpdateStats s = agent.update(buffer.sample(agent.config().batch, replay));
        report.last_loss = s.loss;
        report.last_q = s.q;
        ++report.updates;
      }
    }
    for (double m : batch.mean_ratings()) rating_sum += m;
    report.episodes += n;
  }
  report.mean_rating = rating_sum / double(std::max<std::int64_t>(1, report.episodes));
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace l2::online
