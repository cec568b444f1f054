#include "l2aug/online/l2aug_online.h"

#include <cmath>
#include <limits>
#include <set>
#include <sstream>
#include <unordered_map>

#include "recsys/train/progress.h"

namespace l2::online {

namespace {
// Streams of one iteration's draws, as in l2aug/method/algorithm1.cpp.
std::uint64_t stream_of(std::int64_t iteration, std::uint64_t purpose) { return (std::uint64_t(iteration) << 4) | purpose; }
constexpr std::uint64_t kCoreBatch = 1, kActions = 2, kFineTune = 3, kReplayCore = 5, kReplayActions = 6,
                        kReplayOriginals = 7, kReplayUpdates = 8, kReplayExplore = 9;
}  // namespace

std::vector<RatedSequence> rate_augmented(const OnlineData& data, std::span<const std::int32_t> users,
                                          const std::vector<method::Augmented>& augmented, const Environment& env) {
  L2_CHECK(users.size() == augmented.size(), "rate_augmented: " << users.size() << " users, " << augmented.size()
                                                                << " sequences");
  const std::int64_t N = env.state_length(), K = env.list_size();
  const float unknown = std::numeric_limits<float>::quiet_NaN();
  std::vector<RatedSequence> out(users.size());
  std::int64_t lists = 0;
  for (size_t s = 0; s < users.size(); ++s) {
    std::unordered_map<std::int32_t, float> rated;
    const auto items = data.train_items(users[s]);
    const auto ratings = data.train_ratings(users[s]);
    for (size_t k = 0; k < items.size(); ++k) rated[items[k]] = ratings[k];
    out[s].items = augmented[s].items;
    for (std::int32_t i : out[s].items) {
      const auto it = rated.find(i);
      out[s].ratings.push_back(it == rated.end() ? unknown : it->second);
    }
    lists = std::max<std::int64_t>(lists, std::int64_t(out[s].items.size()) / K);
  }
  // List c of every sequence that has an unrated item in it, one batched query per c: the state
  // before list c needs the ratings of lists 0..c-1, filled in the rounds before.
  for (std::int64_t c = 0; c < lists; ++c) {
    std::vector<size_t> rows;
    std::vector<std::int32_t> states, query;
    for (size_t s = 0; s < out.size(); ++s) {
      const RatedSequence& q = out[s];
      if (std::int64_t(q.items.size()) < (c + 1) * K) continue;
      bool any = false;
      for (std::int64_t k = 0; k < K; ++k) any = any || std::isnan(q.ratings[size_t(c * K + k)]);
      if (!any) continue;
      rows.push_back(s);
      const std::vector<std::int32_t> st = state_before(q.items, q.ratings, c * K, N, env.positive_rating());
      states.insert(states.end(), st.begin(), st.end());
      query.insert(query.end(), q.items.begin() + c * K, q.items.begin() + (c + 1) * K);
    }
    if (rows.empty()) continue;
    const auto Q = std::int64_t(rows.size());
    const Tensor r = env.rate(IndexTensor::from(Shape{Q, N}, states), IndexTensor::from(Shape{Q, K}, query));
    for (std::int64_t j = 0; j < Q; ++j)
      for (std::int64_t k = 0; k < K; ++k) {
        float& x = out[rows[size_t(j)]].ratings[size_t(c * K + k)];
        if (std::isnan(x)) x = r[j * K + k];
      }
  }
  for (RatedSequence& q : out)  // a tail shorter than a list makes no transition; its rating is never read
    for (float& x : q.ratings)
      if (std::isnan(x)) x = 0.0f;
  return out;
}

OnlineL2Aug::OnlineL2Aug(Arm arm, Agent& agent, Agent& shadow, const OnlineData& data, const Environment& env,
                         std::int64_t rounds, const OnlineL2AugConfig& c)
    : arm_(arm), agent_(agent), shadow_(shadow), data_(data), env_(env), rounds_(rounds), c_(c) {
  L2_CHECK(c.batch > 0 && c.fine_tune_steps > 0 && c.replay_every > 0 && c.replay_steps >= 0 && c.iterations >= 0,
           "online L2Aug: batch, fine_tune_steps and replay_every must be positive, replay_steps and iterations >= 0");
  const std::int64_t K = env.list_size();
  for (std::int32_t u : data.users_in(recsys::Group::core))
    if (!data.is_meta(u) && data.train_length(u) >= std::max<std::int64_t>(2, K)) core_.push_back(u);
  L2_CHECK(!core_.empty(), "online L2Aug: no core user has a training list of " << K << " items");
  for (std::int32_t u : data.meta_users()) meta_starts_.push_back(boundary_start(data, u, env.state_length(), env.positive_rating()));
  L2_CHECK(!meta_starts_.empty(), "online L2Aug: the meta set is empty (meta_fraction 0, or no casual users)");
  if (arm_ == Arm::plain) return;
  std::vector<std::span<const std::int32_t>> train;
  for (std::int32_t u : data.training_users()) train.push_back(data.train_items(u));
  correlation_ = std::make_unique<method::ItemCorrelation>(train, data.num_items());
  method::AugmentorConfig ac = c.augmentor;
  ac.seed = c.seed;
  policy_ = std::make_unique<method::Augmentor>(ac, data.num_items());
  reinforce_ = std::make_unique<method::Reinforce>(*policy_, c.reinforce);
}

OnlineL2Aug::~OnlineL2Aug() = default;

std::vector<std::int32_t> OnlineL2Aug::sample_core(std::int64_t n, std::uint64_t stream,
                                                   const std::vector<std::int32_t>& avoid) const {
  std::vector<std::int32_t> pool;
  const std::set<std::int32_t> skip(avoid.begin(), avoid.end());
  for (std::int32_t u : core_)
    if (!skip.count(u)) pool.push_back(u);
  if (std::int64_t(pool.size()) < n) pool = core_;
  Generator g(c_.seed, stream);
  std::vector<std::int32_t> out;
  for (std::int64_t k : g.sample_without_replacement(std::int64_t(pool.size()), std::min<std::int64_t>(n, std::int64_t(pool.size()))))
    out.push_back(pool[size_t(k)]);
  return out;
}

std::vector<RatedSequence> OnlineL2Aug::sequences_of(const std::vector<std::int32_t>& users, bool augment,
                                                     std::uint64_t stream, method::PolicyStep* step) const {
  if (!augment) {
    std::vector<RatedSequence> out;
    for (std::int32_t u : users) {
      const auto items = data_.train_items(u);
      const auto ratings = data_.train_ratings(u);
      out.push_back({{items.begin(), items.end()}, {ratings.begin(), ratings.end()}});
    }
    return out;
  }
  std::vector<std::span<const std::int32_t>> spans;
  for (std::int32_t u : users) spans.push_back(data_.train_items(u));
  method::PolicyStep s = method::run_policy(*policy_, spans, correlation_.get(), false, c_.seed, stream, step != nullptr);
  std::vector<RatedSequence> out = rate_augmented(data_, users, s.augmented, env_);
  if (step) *step = std::move(s);
  return out;
}

Transitions OnlineL2Aug::transitions_of(const std::vector<RatedSequence>& seqs) const {
  Transitions t(env_.state_length(), env_.list_size());
  for (const RatedSequence& s : seqs)
    t.append(sequence_transitions(s.items, s.ratings, env_.state_length(), env_.list_size(), env_.positive_rating()));
  return t;
}

void OnlineL2Aug::updates(Agent& agent, const Transitions& t, const Transitions& other, std::int64_t steps,
                          std::uint64_t stream) const {
  if (t.size() == 0 && other.size() == 0) return;
  Generator g(c_.seed, stream);
  const std::int64_t n = agent.config().batch;
  const std::int64_t from_t = other.size() == 0 ? n : t.size() == 0 ? 0 : n / 2;
  for (std::int64_t s = 0; s < steps; ++s) {
    std::vector<std::int64_t> rows(static_cast<size_t>(from_t)), rows_other(static_cast<size_t>(n - from_t));
    for (auto& r : rows) r = g.integer(0, t.size());
    for (auto& r : rows_other) r = g.integer(0, other.size());
    Transitions batch = t.rows(rows);
    if (!rows_other.empty()) batch.append(other.rows(rows_other));
    agent.update(batch);
  }
}

double OnlineL2Aug::meta_metric(const Agent& agent) const {
  const std::vector<double> m = evaluate(agent, env_, meta_starts_, rounds_);
  double total = 0.0;
  for (double x : m) total += x;
  return total / double(m.size());
}

OnlineL2AugLogRow OnlineL2Aug::inner_step(std::int64_t i) {
  L2_CHECK(arm_ == Arm::l2aug, "online L2Aug: the plain arm has no inner step");
  OnlineL2AugLogRow row;
  row.iteration = i;
  const std::vector<std::int32_t> users = sample_core(c_.batch, stream_of(i, kCoreBatch), {});
  method::PolicyStep step;
  const std::vector<RatedSequence> seqs = sequences_of(users, true, stream_of(i, kActions), &step);
  if (!meta_valid_) {
    meta_cached_ = meta_metric(agent_);
    meta_valid_ = true;
  }
  shadow_.copy_from(agent_);  // f' = a copy of the agent, fine-tuned on the augmented batch
  updates(shadow_, transitions_of(seqs), Transitions(), c_.fine_tune_steps, stream_of(i, kFineTune));
  row.meta_before = meta_cached_;
  row.meta_after = meta_metric(shadow_);
  reinforce_->update(step, row.meta_after - row.meta_before);
  row.reward = row.meta_after - row.meta_before;
  row.entropy = step.entropy;
  row.action_probs = step.mean_probs;
  return row;
}

void OnlineL2Aug::replay(std::int64_t i) {
  // B sequences of other core users than this iteration's batch (augmented, or as they are in the
  // plain arm: Note [Matched replay]) and B originals of users drawn uniformly from all training
  // users (Note [Online originals]).
  const std::vector<std::int32_t> batch = sample_core(c_.batch, stream_of(i, kCoreBatch), {});
  const std::vector<std::int32_t> users = sample_core(c_.batch, stream_of(i, kReplayCore), batch);
  const Transitions core = transitions_of(sequences_of(users, arm_ == Arm::l2aug, stream_of(i, kReplayActions), nullptr));
  const std::vector<std::int32_t>& pool = data_.training_users();
  Generator g(c_.seed, stream_of(i, kReplayOriginals));
  Transitions originals(env_.state_length(), env_.list_size());
  if (c_.logged_originals) {
    std::vector<std::int32_t> drawn;
    for (std::int64_t k = 0; k < c_.batch; ++k) drawn.push_back(pool[size_t(g.integer(0, std::int64_t(pool.size())))]);
    originals = transitions_of(sequences_of(drawn, false, 0, nullptr));
  } else {
    const StartSampler draw = training_starts(data_, pool, env_.state_length(), env_.positive_rating());
    std::vector<EpisodeStart> starts;
    for (std::int64_t k = 0; k < c_.batch; ++k) starts.push_back(draw(g));
    EpisodeBatch episodes(starts, data_.num_items(), env_.state_length());
    Generator explore(c_.seed, stream_of(i, kReplayExplore));
    for (std::int64_t t = 0; t < rounds_; ++t)
      originals.append(episodes.round(agent_, env_, agent_.config().epsilon, &explore));
  }
  updates(agent_, core, originals, c_.replay_steps, stream_of(i, kReplayUpdates));
  meta_valid_ = false;  // the agent changed
}

void OnlineL2Aug::run() {
  recsys::Progress progress(arm_ == Arm::l2aug ? "l2aug online" : "matched replay");
  for (std::int64_t i = 0; i < c_.iterations; ++i) {
    OnlineL2AugLogRow row;
    row.iteration = i;
    if (arm_ == Arm::l2aug) row = inner_step(i);
    if (i % c_.replay_every == 0) {  // Algorithm 1, line 15
      replay(i);
      row.replayed = true;
    }
    log_.push_back(row);
    std::ostringstream os;
    os << "iteration " << i + 1 << "/" << c_.iterations;
    if (arm_ == Arm::l2aug) os << " reward " << row.reward << " meta " << row.meta_after << " entropy " << row.entropy;
    progress.update(os.str());
  }
  std::ostringstream os;
  os << c_.iterations << " iterations";
  if (arm_ == Arm::l2aug && !log_.empty()) {
    double reward = 0.0;
    for (const OnlineL2AugLogRow& r : log_) reward += r.reward / double(log_.size());
    os << ", mean reward " << reward << ", meta rating " << meta_metric(agent_);
  }
  progress.finish(os.str());
}

}  // namespace l2::online
