#include "l2aug/online/figure5.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <sstream>
#include <variant>

#include "recsys/train/progress.h"

namespace l2::online {

// ---- configuration ------------------------------------------------------------------------------

namespace {

using FieldPtr = std::variant<std::int64_t*, std::uint64_t*, double*, float*, bool*>;

// Every numeric setting by its "section.key" name: one table serves to_json and set.
std::vector<std::pair<std::string, FieldPtr>> fields(OnlineConfig& c) {
  std::vector<std::pair<std::string, FieldPtr>> f = {
      {"data.train_fraction", &c.data.train_fraction},
      {"data.core_fraction", &c.data.core_fraction},
      {"data.meta_fraction", &c.data.meta_fraction},
      {"data.meta_seed", &c.data.meta_seed},
      {"simulator.N", &c.simulator.N},
      {"simulator.alpha", &c.simulator.alpha},
      {"simulator.Gamma", &c.simulator.Gamma},
      {"simulator.positive", &c.simulator.positive},
      {"embedding.dim", &c.embedding.dim},
      {"embedding.steps", &c.embedding.steps},
      {"embedding.batch", &c.embedding.batch},
      {"embedding.lr", &c.embedding.lr},
      {"embedding.dropout", &c.embedding.dropout},
      {"embedding.max_bag", &c.embedding.max_bag},
      {"train.episodes", &c.train.episodes},
      {"train.rounds", &c.train.rounds},
      {"train.parallel", &c.train.parallel},
      {"train.updates_per_round", &c.train.updates_per_round},
      {"train.warmup", &c.train.warmup},
      {"l2aug.batch", &c.l2aug.batch},
      {"l2aug.fine_tune_steps", &c.l2aug.fine_tune_steps},
      {"l2aug.replay_every", &c.l2aug.replay_every},
      {"l2aug.replay_steps", &c.l2aug.replay_steps},
      {"l2aug.logged_originals", &c.l2aug.logged_originals},
      {"l2aug.iterations", &c.l2aug.iterations},
      {"l2aug.policy_dim", &c.l2aug.augmentor.dim},
      {"l2aug.policy_maxlen", &c.l2aug.augmentor.maxlen},
      {"l2aug.policy_residual", &c.l2aug.augmentor.residual},
      {"l2aug.policy_lr", &c.l2aug.reinforce.lr},
      {"l2aug.baseline", &c.l2aug.reinforce.baseline},
      {"l2aug.baseline_decay", &c.l2aug.reinforce.baseline_decay},
      {"l2aug.normalize", &c.l2aug.reinforce.normalize},
      {"l2aug.entropy", &c.l2aug.reinforce.entropy},
  };
  for (auto [name, a] : {std::pair<std::string, AgentConfig*>{"dqn", &c.dqn}, {"lird", &c.lird}}) {
    const std::vector<std::pair<std::string, FieldPtr>> agent = {
        {"hidden", &a->hidden},       {"lr", &a->lr},       {"actor_lr", &a->actor_lr},
        {"gamma", &a->gamma},         {"Gamma", &a->Gamma}, {"reward_center", &a->reward_center},
        {"batch", &a->batch},         {"buffer", &a->buffer}, {"tau", &a->tau},
        {"target_every", &a->target_every}, {"epsilon", &a->epsilon},
        {"tanh_actions", &a->tanh_actions}};
    for (const auto& [k, p] : agent) f.emplace_back(name + "." + k, p);
  }
  return f;
}

}  // namespace

nlohmann::json OnlineConfig::to_json() const {
  OnlineConfig copy = *this;
  nlohmann::json j = nlohmann::json::object();
  for (const auto& field : fields(copy)) {
    // Not a structured binding: clang before 16 cannot capture one in a lambda (the fuzz build).
    const std::string& name = field.first;
    const auto dot = name.find('.');
    std::visit([&](auto* p) { j[name.substr(0, dot)][name.substr(dot + 1)] = *p; }, field.second);
  }
  j["simulator"]["mode"] = mode_name(simulator.mode);
  j["l2aug"]["actions"] = method::actions_text(l2aug.augmentor.actions);
  return j;
}

void OnlineConfig::set(const std::string& key, const std::string& value) {
  nlohmann::json v;
  try {
    v = nlohmann::json::parse(value);
  } catch (const nlohmann::json::exception&) {
    v = value;
  }
  const auto dot = key.find('.');
  L2_CHECK(dot != std::string::npos, "setting '" << key << "' must be section.key (e.g. lird.actor_lr)");
  apply_json(nlohmann::json{{key.substr(0, dot), {{key.substr(dot + 1), v}}}});
}

void OnlineConfig::apply_json(const nlohmann::json& j) {
  L2_CHECK(j.is_object(), "online settings must be a JSON object of sections");
  OnlineConfig c = *this;  // applied to a copy: a rejected setting leaves this configuration as it was
  auto table = fields(c);
  for (auto s = j.begin(); s != j.end(); ++s) {
    L2_CHECK(s.value().is_object(), "online settings: section '" << s.key() << "' must be an object");
    for (auto it = s.value().begin(); it != s.value().end(); ++it) {
      const std::string name = s.key() + "." + it.key();
      const nlohmann::json& v = it.value();
      try {
        if (name == "simulator.mode") {
          c.simulator.mode = parse_mode(v.get<std::string>());
          continue;
        }
        if (name == "l2aug.actions") {
          c.l2aug.augmentor.actions = method::parse_actions(v.get<std::string>());
          continue;
        }
        bool found = false;
        for (auto& [n, ptr] : table)
          if (n == name) {
            std::visit([&](auto* p) { *p = v.get<std::remove_pointer_t<decltype(p)>>(); }, ptr);
            found = true;
          }
        L2_CHECK(found, "unknown online setting '" << name << "'");
      } catch (const nlohmann::json::exception& e) {
        L2_FAIL("online setting '" << name << "': " << e.what());
      }
    }
  }
  c.check();
  *this = c;
}

void OnlineConfig::check() const {
  L2_CHECK(data.train_fraction > 0.0 && data.train_fraction < 1.0 && data.core_fraction >= 0.0 &&
               data.core_fraction <= 1.0 && data.meta_fraction >= 0.0 && data.meta_fraction < 1.0,
           "online settings: data fractions out of range (train in (0, 1), core in [0, 1], meta in [0, 1))");
  L2_CHECK(simulator.N > 0 && simulator.alpha >= 0.0f && simulator.alpha <= 1.0f && simulator.Gamma >= 0.0f,
           "online settings: simulator.N must be positive, alpha in [0, 1], Gamma >= 0");
  L2_CHECK(embedding.dim > 0 && embedding.steps > 0 && embedding.batch > 0 && embedding.max_bag > 0 &&
               embedding.lr > 0.0f,
           "online settings: embedding dim, steps, batch, max_bag and lr must be positive");
  L2_CHECK(train.episodes > 0 && train.rounds > 0 && train.parallel > 0 && train.updates_per_round >= 0 &&
               train.warmup >= 0,
           "online settings: train.episodes, rounds and parallel must be positive");
  L2_CHECK(l2aug.batch > 0 && l2aug.fine_tune_steps > 0 && l2aug.replay_every > 0 && l2aug.replay_steps >= 0 &&
               l2aug.iterations >= 0 && l2aug.augmentor.dim > 0 && l2aug.augmentor.maxlen > 0 && l2aug.reinforce.lr > 0.0f,
           "online settings: l2aug values out of range");
  for (const AgentConfig* a : {&dqn, &lird})
    L2_CHECK(a->hidden > 0 && a->lr > 0.0f && a->actor_lr > 0.0f && a->gamma >= 0.0f && a->gamma < 1.0f &&
                 a->batch > 0 && a->buffer > 0 && a->tau > 0.0f && a->tau <= 1.0f && a->target_every > 0 &&
                 a->epsilon >= 0.0f && a->epsilon <= 1.0f,
             "online settings: agent values out of range (gamma in [0, 1), tau in (0, 1], epsilon in [0, 1])");
}

// ---- the grid -----------------------------------------------------------------------------------

namespace {

GroupMeans group_means(const OnlineData& data, std::span<const EpisodeStart> starts, const std::vector<double>& m) {
  GroupMeans g;
  std::int64_t n_casual = 0, n_core = 0;
  for (size_t b = 0; b < starts.size(); ++b) {
    const bool core = data.group(starts[b].user) == recsys::Group::core;
    (core ? g.core : g.casual) += m[b];
    ++(core ? n_core : n_casual);
    g.all += m[b];
  }
  g.casual /= double(std::max<std::int64_t>(1, n_casual));
  g.core /= double(std::max<std::int64_t>(1, n_core));
  g.all /= double(std::max<size_t>(1, starts.size()));
  return g;
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

GridResult run_grid(const OnlineData& data, const OnlineConfig& config, const GridSpec& spec) {
  config.check();
  L2_CHECK(!spec.agents.empty() && !spec.list_sizes.empty() && !spec.seeds.empty(),
           "online experiment: give at least one agent, list size and seed");
  const auto start = std::chrono::steady_clock::now();
  GridResult result;
  const std::int64_t N = config.simulator.N;
  const float positive = config.simulator.positive;
  std::vector<std::span<const std::int32_t>> train_items;
  for (std::int32_t u = 1; u <= data.num_users(); ++u) train_items.push_back(data.train_items(u));
  std::vector<EpisodeStart> test_starts;  // every user at the end of its training part
  for (std::int32_t u = 1; u <= data.num_users(); ++u) test_starts.push_back(boundary_start(data, u, N, positive));
  const std::int64_t cells = std::int64_t(spec.seeds.size() * spec.list_sizes.size() * spec.agents.size());

  for (std::uint64_t seed : spec.seeds) {
    EmbeddingConfig ec = config.embedding;
    ec.seed = seed;
    EmbeddingReport er;
    const Tensor E = train_item_embeddings(train_items, data.num_items(), ec, &er);
    result.embeddings.push_back(er);
    std::fprintf(stderr, "simulate: seed %llu: item embeddings (D = %lld) in %.1f s, loss %.3f -> %.3f\n",
                 (unsigned long long)seed, (long long)ec.dim, er.seconds, er.first_loss, er.last_loss);
    for (std::int64_t K : spec.list_sizes) {
      SimulatorConfig sc = config.simulator;
      sc.K = K;
      Memory train_memory{N, K, {}, {}, {}}, test_memory{N, K, {}, {}, {}};  // rebuilt for each list size
      for (std::int32_t u = 1; u <= data.num_users(); ++u) {
        add_sequence_tuples(train_memory, data.items(u), data.ratings(u), 0, data.train_length(u), positive);
        add_sequence_tuples(test_memory, data.items(u), data.ratings(u), data.train_length(u),
                            std::int64_t(data.items(u).size()), positive);
      }
      const MemorySimulator train_sim(train_memory, E, sc), test_sim(test_memory, E, sc);
      const std::int64_t T = config.train.rounds;
      auto score = [&](const Agent& agent) {
        return Scores{group_means(data, test_starts, evaluate(agent, test_sim, test_starts, T)),
                      group_means(data, test_starts, evaluate(agent, train_sim, test_starts, T))};
      };
      Scores random;
      bool random_done = false;
      for (AgentKind kind : spec.agents) {
        const auto cell_start = std::chrono::steady_clock::now();
        recsys::Progress::set_context(std::string("[") + std::to_string(result.cells.size() + 1) + "/" + std::to_string(cells) + " " +
                                      agent_kind_name(kind) + " K=" + std::to_string(K) + " seed " +
                                      std::to_string(seed) + "] ");
        CellResult cell;
        cell.agent = kind;
        cell.list_size = K;
        cell.seed = seed;
        cell.train_tuples = train_memory.size();
        cell.train_patterns = std::int64_t(train_sim.groups().size());
        cell.test_tuples = test_memory.size();
        cell.test_patterns = std::int64_t(test_sim.groups().size());
        AgentConfig ac = kind == AgentKind::dqn ? config.dqn : config.lird;
        ac.seed = seed;
        std::unique_ptr<Agent> pretrained = make_agent(kind, E, N, K, ac);
        cell.pretrain = train_online(*pretrained, train_sim, training_starts(data, data.training_users(), N, positive),
                                     config.train, seed);
        if (!random_done) {
          random = Scores{group_means(data, test_starts, evaluate_random(*pretrained, test_sim, test_starts, T, seed)),
                          group_means(data, test_starts, evaluate_random(*pretrained, train_sim, test_starts, T, seed))};
          random_done = true;
        }
        cell.random = random;
        cell.pretrained = score(*pretrained);
        std::unique_ptr<Agent> shadow = make_agent(kind, E, N, K, ac);
        OnlineL2AugConfig lc = config.l2aug;
        lc.seed = seed;
        for (Arm arm : {Arm::plain, Arm::l2aug}) {
          if (arm == Arm::l2aug && !spec.l2aug) continue;
          std::unique_ptr<Agent> agent = make_agent(kind, E, N, K, ac);
          agent->copy_from(*pretrained);
          OnlineL2Aug runner(arm, *agent, *shadow, data, train_sim, T, lc);
          runner.run();
          const Scores m = score(*agent);
          if (arm == Arm::plain) {
            cell.plain = m;
            continue;
          }
          cell.l2aug = m;
          cell.has_l2aug = true;
          const auto& log = runner.log();
          const size_t tail = std::max<size_t>(1, log.size() / 10);
          for (const OnlineL2AugLogRow& r : log) cell.l2aug_mean_reward += r.reward / double(log.size());
          cell.l2aug_action_probs.assign(lc.augmentor.actions.size(), 0.0);
          for (size_t k = log.size() - std::min(tail, log.size()); k < log.size(); ++k)
            for (size_t a = 0; a < log[k].action_probs.size(); ++a)
              cell.l2aug_action_probs[a] += log[k].action_probs[a] / double(std::min(tail, log.size()));
        }
        cell.seconds = seconds_since(cell_start);
        std::fprintf(stderr,
                     "simulate: %s K=%lld seed %llu: casual/core random %.3f/%.3f, pretrained %.3f/%.3f, %s %.3f/%.3f",
                     agent_kind_name(kind), (long long)K, (unsigned long long)seed, cell.random.test.casual,
                     cell.random.test.core, cell.pretrained.test.casual, cell.pretrained.test.core, agent_kind_name(kind),
                     cell.plain.test.casual, cell.plain.test.core);
        if (cell.has_l2aug) std::fprintf(stderr, ", +l2aug %.3f/%.3f", cell.l2aug.test.casual, cell.l2aug.test.core);
        std::fprintf(stderr, " (%.1f s)\n", cell.seconds);
        result.cells.push_back(cell);
      }
    }
  }
  recsys::Progress::set_context("");
  result.seconds = seconds_since(start);
  return result;
}

// ---- reporting ----------------------------------------------------------------------------------

namespace {

struct Method {
  std::string name;  // "DQN", "DQN+L2Aug", "DQN (pretrained)", "random"
  std::string arm;   // "plain", "l2aug", "pretrained", "random"
};

std::string upper(const char* s) {
  std::string u(s);
  for (char& ch : u) ch = char(std::toupper(static_cast<unsigned char>(ch)));
  return u;
}

const Scores& arm_of(const CellResult& c, const std::string& arm) {
  if (arm == "plain") return c.plain;
  if (arm == "l2aug") return c.l2aug;
  if (arm == "pretrained") return c.pretrained;
  return c.random;
}

std::vector<std::pair<Method, AgentKind>> methods(const GridSpec& spec) {
  std::vector<std::pair<Method, AgentKind>> m;
  for (AgentKind k : spec.agents) {
    m.push_back({{upper(agent_kind_name(k)), "plain"}, k});
    if (spec.l2aug) m.push_back({{upper(agent_kind_name(k)) + "+L2Aug", "l2aug"}, k});
  }
  for (AgentKind k : spec.agents) m.push_back({{upper(agent_kind_name(k)) + " (pretrained)", "pretrained"}, k});
  m.push_back({{"random", "random"}, spec.agents.front()});
  return m;
}

nlohmann::json stats(const std::vector<double>& v) {
  double mean = 0.0, var = 0.0;
  for (double x : v) mean += x / double(v.size());
  for (double x : v) var += (x - mean) * (x - mean);
  const double sd = v.size() > 1 ? std::sqrt(var / double(v.size() - 1)) : 0.0;
  return {{"mean", mean}, {"std", sd}, {"values", v}};
}

}  // namespace

nlohmann::json grid_json(const GridResult& r, const GridSpec& spec) {
  nlohmann::json summary = nlohmann::json::array();
  for (const auto& [m, kind] : methods(spec))
    for (std::int64_t K : spec.list_sizes) {
      std::vector<double> casual, core, all, train_casual, train_core, train_all;
      for (const CellResult& c : r.cells)
        if (c.agent == kind && c.list_size == K) {
          const Scores& g = arm_of(c, m.arm);
          casual.push_back(g.test.casual);
          core.push_back(g.test.core);
          all.push_back(g.test.all);
          train_casual.push_back(g.train.casual);
          train_core.push_back(g.train.core);
          train_all.push_back(g.train.all);
        }
      summary.push_back({{"method", m.name}, {"agent", agent_kind_name(kind)}, {"arm", m.arm}, {"list_size", K},
                         {"seeds", casual.size()}, {"casual", stats(casual)}, {"core", stats(core)}, {"all", stats(all)},
                         {"train_simulator",
                          {{"casual", stats(train_casual)}, {"core", stats(train_core)}, {"all", stats(train_all)}}}});
    }
  nlohmann::json cells = nlohmann::json::array();
  for (const CellResult& c : r.cells) {
    auto g = [](const Scores& s) {
      return nlohmann::json{{"casual", s.test.casual}, {"core", s.test.core}, {"all", s.test.all},
                            {"train_simulator", {{"casual", s.train.casual}, {"core", s.train.core}, {"all", s.train.all}}}};
    };
    nlohmann::json j = {{"agent", agent_kind_name(c.agent)}, {"list_size", c.list_size}, {"seed", c.seed},
                        {"random", g(c.random)}, {"pretrained", g(c.pretrained)}, {"plain", g(c.plain)},
                        {"train_memory", {{"tuples", c.train_tuples}, {"patterns", c.train_patterns}}},
                        {"test_memory", {{"tuples", c.test_tuples}, {"patterns", c.test_patterns}}},
                        {"pretrain", {{"episodes", c.pretrain.episodes}, {"updates", c.pretrain.updates},
                                      {"mean_rating", c.pretrain.mean_rating}, {"last_loss", c.pretrain.last_loss},
                                      {"last_q", c.pretrain.last_q}, {"seconds", c.pretrain.seconds}}},
                        {"seconds", c.seconds}};
    if (c.has_l2aug) {
      j["l2aug"] = g(c.l2aug);
      j["l2aug_mean_reward"] = c.l2aug_mean_reward;
      j["l2aug_action_probs"] = c.l2aug_action_probs;
    }
    cells.push_back(j);
  }
  nlohmann::json emb = nlohmann::json::array();
  for (size_t s = 0; s < r.embeddings.size(); ++s)
    emb.push_back({{"seed", spec.seeds[s]}, {"first_loss", r.embeddings[s].first_loss},
                   {"last_loss", r.embeddings[s].last_loss}, {"seconds", r.embeddings[s].seconds}});
  std::vector<std::string> agents;
  for (AgentKind k : spec.agents) agents.push_back(agent_kind_name(k));
  return {{"metric", "average simulated rating per episode (1-5), test simulator, greedy episodes from each user's "
                     "state at the end of its training part"},
          {"grid", {{"agents", agents}, {"list_sizes", spec.list_sizes}, {"seeds", spec.seeds}, {"l2aug", spec.l2aug}}},
          {"summary", summary},
          {"cells", cells},
          {"embeddings", emb},
          {"wall_seconds", r.seconds}};
}

std::string grid_table(const GridResult& r, const GridSpec& spec) {
  const nlohmann::json j = grid_json(r, spec);
  std::ostringstream os;
  const size_t seeds = spec.seeds.size();
  for (const bool train : {false, true}) {
    os << (train ? "\n" : "") << "Average simulated rating per episode ("
       << (train ? "training simulator, for comparison" : "test simulator") << "), mean" << (seeds > 1 ? " ± std" : "")
       << " over " << seeds << " seed" << (seeds > 1 ? "s" : "") << "\n\n| method | K | casual | core | all |\n|---|---|---|---|---|\n";
    for (const nlohmann::json& row : j["summary"]) {
      const nlohmann::json& src = train ? row["train_simulator"] : row;
      auto cell = [&](const char* g) {
        std::ostringstream c;
        c << std::fixed << std::setprecision(3) << src[g]["mean"].get<double>();
        if (seeds > 1) c << " ± " << src[g]["std"].get<double>();
        return c.str();
      };
      os << "| " << row["method"].get<std::string>() << " | " << row["list_size"].get<std::int64_t>() << " | "
         << cell("casual") << " | " << cell("core") << " | " << cell("all") << " |\n";
    }
  }
  os << "\nwall time " << recsys::format_duration(r.seconds) << "\n";
  return os.str();
}

}  // namespace l2::online
