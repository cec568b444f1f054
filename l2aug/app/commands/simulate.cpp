// `l2aug simulate`: the online experiment (Section 5.3.2, Figure 5). DQN and LIRD agents learn
// against the LIRD memory simulator of MovieLens, with and without L2Aug, and are scored by the
// average simulated rating per episode of casual and core users (l2aug/online/figure5.h).
// --agent, --list-size and --seed take comma lists, so one command runs a whole Figure 5 grid;
// with --out it writes the results (JSON with the run description, and a Markdown table beside it).
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "l2aug/app/cli.h"
#include "l2aug/app/commands/commands.h"
#include "l2aug/app/model_options.h"
#include "l2aug/app/results.h"
#include "l2aug/online/figure5.h"
#include "nn/checkpoint.h"
#include "tensor/build_info.h"

namespace l2::app::commands {

namespace {

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string part;
  while (std::getline(in, part, ','))
    if (!part.empty()) out.push_back(part);
  return out;
}

template <class T, class F>
std::vector<T> parse_list(const Args& args, const std::string& flag, F&& parse_one) {
  std::vector<T> out;
  for (const std::string& s : split_list(args.get(flag))) out.push_back(parse_one(s));
  if (out.empty()) throw UsageError("--" + flag + ": give at least one value");
  return out;
}

}  // namespace

int simulate(int argc, const char* const* argv, int first) {
  Command cmd("simulate",
                   "The online experiment of Section 5.3.2 (Figure 5): DQN and LIRD recommenders trained against the "
                   "LIRD memory simulator of MovieLens, with and without L2Aug; reports the average simulated rating "
                   "per episode of casual and core users.");
  cmd.option("data", "PATH", "MovieLens u.data or ratings.dat (or the folder holding it): the ratings are needed")
      .option("agent", "dqn,lird", "the agents (a comma list)", "dqn")
      .flag("l2aug", "also run each agent with L2Aug (from the same pretrained agent)")
      .option("list-size", "K,...", "list sizes; the simulator's memory is rebuilt for each", "4")
      .option("seed", "S,...", "seeds; each fixes every draw of its runs", "1")
      // These set the named settings; with no default here, a --config file's value stands unless given.
      .option("state-length", "N", "items in a state (default 12, LIRD)")
      .option("alpha", "A", "weight of the state similarity in the simulator (default 0.5, LIRD Eq. 1)")
      .option("reward-mode", "most-probable|expectation",
              "the simulator's answer: the ratings of the most probable reward pattern (default), or their "
              "expectation")
      .option("positive", "R", "a simulated rating at least R is positive and enters the state (default 4)")
      .option("episodes", "E", "online training episodes per agent (default 2000)")
      .option("episode-length", "T", "lists per episode (default 10)")
      .option("iterations", "I", "L2Aug iterations, and matched replay iterations of the plain agent (default 100)")
      .option("config", "FILE", "settings as JSON: {\"section\": {\"key\": value}} (sections: data, simulator, "
                                "embedding, dqn, lird, train, l2aug)")
      .repeated("set", "section.key=value", "one setting, after --config and the options above")
      .option("out", "FILE.json", "write the results here, and a Markdown table to FILE.md");
  const Args args = cmd.parse(argc, argv, first);
  if (args.help_requested) {
    std::fputs(cmd.help().c_str(), stdout);
    return 0;
  }
  if (!args.has("data")) throw UsageError("no data: give --data (MovieLens u.data with its ratings)");

  online::GridSpec spec;
  spec.l2aug = args.flag("l2aug");
  spec.agents = parse_list<online::AgentKind>(args, "agent", [](const std::string& s) {
    try {
      return online::parse_agent_kind(s);
    } catch (const Error& e) {
      throw UsageError(std::string("--agent: ") + e.what());
    }
  });
  spec.list_sizes = parse_list<std::int64_t>(args, "list-size", [](const std::string& s) {
    const std::int64_t k = parse_int(s, "--list-size");
    if (k < 1 || k > 100) throw UsageError("--list-size: expected 1..100, got " + s);
    return k;
  });
  spec.seeds = parse_list<std::uint64_t>(args, "seed", [](const std::string& s) {
    const std::int64_t v = parse_int(s, "--seed");
    if (v < 0) throw UsageError("--seed: expected a non-negative integer, got " + s);
    return std::uint64_t(v);
  });

  online::OnlineConfig config;
  auto set = [&](const std::string& key, const std::string& value, const std::string& origin) {
    try {
      config.set(key, value);
    } catch (const Error& e) {
      throw UsageError(origin + ": " + e.what());
    }
  };
  if (args.has("config")) {
    try {
      config.apply_json(read_json_file(args.get("config")));
    } catch (const Error& e) {
      throw UsageError("--config " + args.get("config") + ": " + e.what());
    }
  }
  const std::pair<const char*, const char*> flags[] = {
      {"state-length", "simulator.N"}, {"alpha", "simulator.alpha"}, {"reward-mode", "simulator.mode"},
      {"positive", "simulator.positive"}, {"episodes", "train.episodes"}, {"episode-length", "train.rounds"},
      {"iterations", "l2aug.iterations"}};
  for (const auto& [flag, key] : flags)
    if (args.has(flag)) set(key, args.get(flag), std::string("--") + flag);
  for (const std::string& kv : args.all("set")) {
    const auto eq = kv.find('=');
    if (eq == std::string::npos) throw UsageError("--set: expected section.key=value, got '" + kv + "'");
    set(kv.substr(0, eq), kv.substr(eq + 1), "--set " + kv);
  }

  const std::string out = args.get_or("out", "");
  if (!out.empty()) {  // fail before hours of work, not after
    const std::filesystem::path dir = std::filesystem::path(out).parent_path();
    if (!dir.empty()) std::filesystem::create_directories(dir);
  }
  const online::OnlineData data = online::load_online_data(args.get("data"), config.data);
  std::fprintf(stderr, "simulate: %s\n", data.describe().c_str());
  const online::GridResult result = online::run_grid(data, config, spec);

  const std::string table = online::grid_table(result, spec);
  std::fputs(table.c_str(), stdout);
  if (!out.empty()) {
    nlohmann::json j = online::grid_json(result, spec);
    std::int64_t casual = 0, core = 0;
    for (std::int32_t u = 1; u <= data.num_users(); ++u) ++(data.group(u) == recsys::Group::core ? core : casual);
    const recsys::Dataset& d = data.dataset();
    j["schema"] = kResultSchema;
    stamp_build(j);
    j["config"] = config.to_json();
    j["data"] = {{"name", d.name()},
                 {"source", args.get("data")},
                 {"fingerprint", std::to_string(d.fingerprint())},
                 {"users", d.num_users()},
                 {"items", d.num_items()},
                 {"interactions", d.num_interactions()},
                 {"protocol", data.describe()},
                 {"groups", {{"casual", {{"users", casual}, {"meta", data.meta_users().size()}}},
                             {"core", {{"users", core}}}}}};
    write_json_file(out, j);
    std::filesystem::path md = out;
    md.replace_extension(".md");
    nn::write_file_atomically(md.string(), "# Online simulation (Section 5.3.2, Figure 5)\n\n" + table);
    std::printf("wrote %s and %s\n", out.c_str(), md.c_str());
  }
  return 0;
}

}  // namespace l2::app::commands
