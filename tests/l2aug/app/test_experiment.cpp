// The experiment runner and the report: a tiny grid end to end whose report matches the per-cell
// files; shards cover every cell exactly once; malformed configurations are rejected naming the key;
// the SVG figures are well-formed XML; the paired t-test against known values.
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "../../common/test_util.h"
#include "../../recsys/recsys_test_util.h"
#include "l2aug/app/experiment.h"
#include "l2aug/app/report/report.h"
#include "l2aug/app/report/stats.h"
#include "l2aug/app/report/svg.h"
#include "tensor/build_info.h"

using namespace l2;
using namespace l2::app;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const std::string kTiny = std::string(L2_SOURCE_DIR) + "/tests/l2aug/fixtures/tiny_experiment.json";

fs::path fresh_dir(const std::string& name) {
  const fs::path p = fs::temp_directory_path() / ("l2aug_exp_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(p);
  return p;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

// A small well-formedness check for the SVG we write: balanced tags, quoted attributes, no raw '&'
// or '<' in text.
bool well_formed_xml(const std::string& s, std::string& why) {
  std::vector<std::string> stack;
  size_t i = s.find("<svg");
  if (i == std::string::npos) return (why = "no <svg> element"), false;
  while (i < s.size()) {
    if (s[i] == '<') {
      const size_t end = s.find('>', i);
      if (end == std::string::npos) return (why = "unterminated tag"), false;
      std::string tag = s.substr(i + 1, end - i - 1);
      const bool closing = !tag.empty() && tag[0] == '/', self = !tag.empty() && tag.back() == '/';
      std::string name = tag.substr(closing ? 1 : 0);
      name = name.substr(0, name.find_first_of(" /"));
      size_t quotes = 0;
      for (char c : tag) quotes += c == '"';
      if (quotes % 2) return (why = "unbalanced quotes in <" + tag + ">"), false;
      if (closing) {
        if (stack.empty() || stack.back() != name) return (why = "mismatched </" + name + ">"), false;
        stack.pop_back();
      } else if (!self) {
        stack.push_back(name);
      }
      i = end + 1;
    } else {
      if (s[i] == '&') {
        const size_t semi = s.find(';', i);
        const std::string ent = s.substr(i, semi - i + 1);
        if (ent != "&amp;" && ent != "&lt;" && ent != "&gt;" && ent != "&quot;" && ent != "&apos;")
          return (why = "raw '&' in text"), false;
      }
      ++i;
    }
  }
  if (!stack.empty()) return (why = "unclosed <" + stack.back() + ">"), false;
  return true;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(experiment_suite)

BOOST_AUTO_TEST_CASE(a_tiny_grid_runs_and_its_report_matches_the_cell_files) {
  const fs::path out = fresh_dir("tiny");
  Experiment e(ExperimentConfig::load(kTiny), out);
  // Phase 1: none x 2 seeds, random p=0.2 and p=0.5 on seed 1, l2aug x 2 seeds; phase 2: random's choice on seed 2.
  BOOST_TEST(e.config().phase1_cells().size() == 6u);
  BOOST_TEST(e.run_shard(0, 1));
  const auto chosen = e.select();
  BOOST_REQUIRE(chosen.has_value());
  BOOST_TEST(chosen->count("toy/sasrec/random") == 1u);
  BOOST_TEST(e.known_cells().size() == 7u);
  // Note [Shared pretraining]: each L2Aug cell resumed its "none" twin's finished run, and ends
  // exactly as a cell that trained its own untreated model first.
  for (const std::string seed : {"seed1", "seed2"}) {
    const fs::path none = out / "cells" / "toy" / "sasrec" / "none" / "default" / seed;
    const fs::path l2 = out / "cells" / "toy" / "sasrec" / "l2aug" / "default" / seed;
    BOOST_TEST(test::read_text(l2 / "pretrain" / "train_log.csv") == test::read_text(none / "train_log.csv"));
  }
  {
    const fs::path alone = fresh_dir("tiny_alone");
    json j = json::parse(std::ifstream(kTiny));
    j["treatments"].erase("none");
    j["treatments"].erase("random");
    Experiment a(ExperimentConfig::parse(j, kTiny), alone);
    BOOST_TEST(a.run_shard(0, 1));
    for (const std::string seed : {"seed1", "seed2"}) {
      const auto ranks = [&](const fs::path& root) {
        return test::read_text(root / "cells" / "toy" / "sasrec" / "l2aug" / "default" / seed / "ranks_test.tsv");
      };
      BOOST_TEST(ranks(alone) == ranks(out), seed);
    }
    fs::remove_all(alone);
  }
  // An online study beside the cells, in the shape `l2aug simulate` writes its summary.
  fs::create_directories(out / "online");
  json online = {{"summary", json::array()}};
  for (const std::string method : {"DQN", "DQN+L2Aug", "DQN (pretrained)"})
    for (int k : {1, 4})
      online["summary"].push_back({{"method", method}, {"list_size", k}, {"casual", {{"mean", 3.5 + k}, {"std", 0.1}}},
                                   {"core", {{"mean", 3.0 + k}, {"std", 0.2}}}});
  std::ofstream(out / "online" / "figure5.json") << online.dump();
  const ReportSummary r = write_report({out});
  BOOST_TEST(r.cells == 7);
  BOOST_TEST(r.unfinished == 0);
  const json report = json::parse(std::ifstream(r.json));
  const std::string md = [&] {
    std::ifstream in(r.markdown);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }();
  // Every reported mean is the mean of the test metrics in the cells' metrics.json files.
  int rows = 0;
  for (const json& row : report.at("rows")) {
    ++rows;
    const std::string treatment = row.at("treatment");
    const std::string point = row.at("point");
    double sum = 0;
    int n = 0;
    for (std::uint64_t seed : row.at("seeds").get<std::vector<std::uint64_t>>()) {
      const fs::path m = out / "cells" / "toy" / "sasrec" / treatment / path_safe(point) / ("seed" + std::to_string(seed)) /
                         "metrics.json";
      sum += json::parse(std::ifstream(m)).at("test").at("metrics").at("casual").at("ndcg@10").get<double>();
      ++n;
    }
    const double reported = row.at("test").at("casual").at("ndcg@10").at("mean");
    BOOST_TEST(std::fabs(reported - sum / n) < 1e-12, treatment);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f ±", 100.0 * reported);
    BOOST_TEST(md.find(buf) != std::string::npos, "report.md lacks " << buf);
  }
  BOOST_TEST(rows == 3);
  BOOST_TEST(md.find("## Casual users") != std::string::npos);
  BOOST_TEST(md.find("## Core users") != std::string::npos);
  BOOST_TEST(md.find("L2Aug against the best baseline") != std::string::npos);
  for (const std::string group : {"casual", "core"}) {
    std::ifstream in(out / "figures" / ("online_figure5_" + group + ".svg"));
    const std::string svg((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    BOOST_TEST(svg.find("DQN+L2Aug") != std::string::npos, group);
    BOOST_TEST(svg.find("pretrained") == std::string::npos, group);
  }
  // Every figure is well-formed.
  int figures = 0;
  for (const auto& f : fs::directory_iterator(out / "figures")) {
    std::ifstream in(f.path());
    const std::string svg((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::string why;
    BOOST_TEST(well_formed_xml(svg, why), f.path().filename() << ": " << why);
    ++figures;
  }
  BOOST_TEST(figures >= 5);
  // Re-running skips every finished cell: no result file is written again.
  std::map<std::string, fs::file_time_type> written;
  for (const Cell& c : e.known_cells()) written[c.id] = fs::last_write_time(e.cell_dir(c) / "metrics.json");
  Experiment again(ExperimentConfig::load(kTiny), out);
  BOOST_TEST(again.run_shard(0, 1));
  for (const Cell& c : again.known_cells())
    BOOST_TEST((fs::last_write_time(again.cell_dir(c) / "metrics.json") == written.at(c.id)), c.id);
  // The same folder with changed settings is refused, naming the cell, rather than reported stale.
  json changed = json::parse(std::ifstream(kTiny));
  changed["train"]["lr"] = 0.02;
  const std::string why = error_of([&] { Experiment(ExperimentConfig::parse(changed, "changed.json"), out); });
  BOOST_TEST(why.find("cell.json was run with other settings") != std::string::npos, why);
  BOOST_TEST(why.find("now gives cell toy/sasrec/") != std::string::npos, why);
  // Provenance: cells written by a build of a modified tree are counted, and the values that include
  // them marked; cells of committed code are not. Older files carry only the commit's "-dirty" suffix.
  const json stamped = json::parse(std::ifstream(e.cell_dir(e.known_cells().front()) / "metrics.json"));
  BOOST_TEST(stamped.contains("warning") == built_from_modified_tree());
  auto set_build = [&](const Cell& c, const std::string& tree, const std::string& commit) {
    const fs::path m = e.cell_dir(c) / "metrics.json";
    json j = json::parse(std::ifstream(m));
    j["build"]["commit"] = commit;
    if (tree.empty())
      j["build"].erase("source_tree");
    else
      j["build"]["source_tree"] = tree;
    std::ofstream(m) << j.dump();
  };
  auto report_of = [&] {
    const ReportSummary s = write_report({out});
    std::ifstream in(s.markdown);
    return std::make_pair(json::parse(std::ifstream(s.json)),
                          std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()));
  };
  auto marked_values = [](const std::string& text) {
    int n = 0;
    for (size_t at = text.find(" † |"); at != std::string::npos; at = text.find(" † |", at + 1)) ++n;
    return n;
  };
  const std::vector<Cell> cells = e.known_cells();
  const Cell untreated = *std::find_if(cells.begin(), cells.end(), [](const Cell& c) { return c.treatment == "none"; });
  for (const Cell& c : cells) set_build(c, "committed", "0123456789ab");
  auto [clean_json, clean_md] = report_of();
  BOOST_TEST(clean_json.at("modified_tree_cells").empty());
  BOOST_TEST(clean_md.find("Warning") == std::string::npos);
  BOOST_TEST(marked_values(clean_md) == 0);
  for (const std::string tree : {"modified", ""}) {
    set_build(untreated, tree, "0123456789ab-dirty");
    auto [dirty_json, dirty_md] = report_of();
    BOOST_TEST((dirty_json.at("modified_tree_cells") == json::array({untreated.id})), tree);
    BOOST_TEST(dirty_md.find("**Warning: 1 of 7 cells were produced by builds from a modified source tree") != std::string::npos);
    BOOST_TEST(marked_values(dirty_md) == 2 * 4, tree);  // the untreated row, casual and core, four metrics
  }
  fs::remove_all(out);
}

BOOST_AUTO_TEST_CASE(shards_cover_every_cell_exactly_once) {
  const fs::path out = fresh_dir("shards");
  const ExperimentConfig c = ExperimentConfig::load(kTiny);
  Experiment e0(c, out);
  BOOST_TEST(!e0.run_shard(0, 3));  // its phase 1 is done, but the selection waits for the other shards
  const std::vector<Cell> p1 = c.phase1_cells();
  for (size_t k = 0; k < p1.size(); ++k) BOOST_TEST(e0.done(p1[k]) == (k % 3 == 0), p1[k].id);
  Experiment e1(c, out), e2(c, out);
  e1.run_shard(1, 3);
  e2.run_shard(2, 3);
  // Now every shard can finish phase 2; together they finish every cell.
  for (int s = 0; s < 3; ++s) Experiment(c, out).run_shard(s, 3);
  std::set<std::string> seen;
  for (const Cell& cell : e0.known_cells()) {
    BOOST_TEST(e0.done(cell), cell.id);
    BOOST_TEST(seen.insert(cell.id).second);
  }
  BOOST_TEST(seen.size() == 7u);
  fs::remove_all(out);
}

BOOST_AUTO_TEST_CASE(malformed_configurations_name_the_key) {
  const json good = json::parse(std::ifstream(kTiny));
  auto bad = [&](const std::function<void(json&)>& edit) {
    json j = good;
    edit(j);
    return error_of([&] { ExperimentConfig::parse(j, "exp.json"); });
  };
  BOOST_TEST(bad([](json& j) { j["models"] = {"bert"}; }).find("unknown model 'bert'") != std::string::npos);
  BOOST_TEST(bad([](json& j) { j["treatments"]["random"]["grid"]["p"] = json::array(); }).find("non-empty list") !=
             std::string::npos);
  BOOST_TEST(bad([](json& j) { j["epochs"] = 3; }).find("unknown key 'epochs'") != std::string::npos);
  BOOST_TEST(bad([](json& j) { j["train"]["epoch"] = 3; }).find("unknown training setting 'epoch'") != std::string::npos);
  BOOST_TEST(bad([](json& j) { j["treatments"]["random"]["settings"] = {{"q", 1}}; }).find("no setting 'q'") !=
             std::string::npos);
  BOOST_TEST(bad([](json& j) { j["treatments"]["magic"] = json::object(); }).find("unknown treatment 'magic'") !=
             std::string::npos);
  BOOST_TEST(bad([](json& j) { j["seeds"] = json::array(); }).find("'seeds'") != std::string::npos);
  BOOST_TEST(bad([](json& j) { j["grid"] = {{"lr", {0.1}}}; }).find("must be qualified") != std::string::npos);
  BOOST_TEST(bad([](json& j) { j["datasets"]["toy"]["options"] = {{"cutof", "auto"}}; }).find("--cutof") != std::string::npos);
  BOOST_TEST(bad([](json& j) { j["datasets"]["toy"].erase("data"); }).find("has no 'data'") != std::string::npos);
  // Found by tests/fuzz (fuzz_experiment): four lists of 40 values are 2.56 million combinations,
  // which took the parser minutes and gigabytes to list (Note [Grid size]); and a grid written as a
  // list escaped as a JSON library exception instead of an error naming the file.
  json forty = json::array();
  for (int i = 1; i <= 40; ++i) forty.push_back(i);
  BOOST_TEST(bad([&](json& j) {
               j["grid"] = {{"train.epochs", forty}, {"train.patience", forty}, {"train.eval_every", forty},
                            {"train.batch_size", forty}};
             }).find("more than 10000 cells") != std::string::npos);
  BOOST_TEST(bad([](json& j) { j["treatments"]["random"]["grid"] = {0.2, 0.5}; }).find("exp.json: ") == 0);
}

// Every ready-made experiment in configs/ parses, has cells, and every cell's settings resolve
// (so a renamed setting cannot leave a shipped config broken until someone runs it).
// Found by tests/fuzz (fuzz_experiment, fuzz_settings): a number too large for a double is not a
// syntax error to nlohmann::json but an out_of_range exception, which escaped read_json_file.
BOOST_AUTO_TEST_CASE(a_number_too_large_is_an_error_naming_the_file) {
  const auto path = fs::temp_directory_path() / ("l2aug_test_big_number_" + std::to_string(::getpid()) + ".json");
  std::ofstream(path) << R"({"seeds": [1e99999]})";
  std::string err;
  try {
    ExperimentConfig::load(path.string());
  } catch (const l2::Error& e) {
    err = e.what();
  }
  fs::remove(path);
  BOOST_TEST(err.find(path.string() + ": not valid JSON") == 0, err);
}

// Found by tests/fuzz (fuzz_settings): a --config file whose "model" section is a number made
// nlohmann's update() throw a type_error past the command.
BOOST_AUTO_TEST_CASE(a_settings_section_that_is_not_an_object_is_an_error_naming_it) {
  const auto path = fs::temp_directory_path() / ("l2aug_test_section_" + std::to_string(::getpid()) + ".json");
  std::ofstream(path) << R"({"model": 5})";
  app::Command command("train", "test");
  add_model_options(command);
  const char* argv[] = {"l2aug", "train", "--config", nullptr};
  const std::string file = path.string();
  argv[3] = file.c_str();
  std::string err;
  try {
    model_config_from_args(command.parse(4, argv, 2), 10);
  } catch (const l2::Error& e) {
    err = e.what();
  }
  fs::remove(path);
  BOOST_TEST(err == file + ": section 'model' must be a JSON object {...}", err);
}

BOOST_AUTO_TEST_CASE(every_shipped_config_parses_and_resolves) {
  int configs = 0;
  for (const auto& f : fs::directory_iterator(fs::path(L2_SOURCE_DIR) / "configs")) {
    if (f.path().extension() != ".json") continue;
    ++configs;
    const ExperimentConfig c = ExperimentConfig::load(f.path().string());
    const std::vector<Cell> cells = c.phase1_cells();
    BOOST_TEST(!cells.empty(), f.path());
    for (const Cell& cell : cells) BOOST_CHECK_NO_THROW(resolve_cell_settings(cell, c));
  }
  BOOST_TEST(configs >= 8);
}

BOOST_AUTO_TEST_CASE(per_model_overrides_reach_only_their_model) {
  json j = json::parse(std::ifstream(kTiny));
  j["models"] = {"sasrec", "gru4rec"};
  j["train_overrides"] = {{"sasrec", {{"lr", 0.0003}}}};
  j["model_overrides"] = {{"sasrec", {{"dim", 12}}}};
  const ExperimentConfig c = ExperimentConfig::parse(j, "exp.json");
  for (const Cell& cell : c.phase1_cells()) {
    const ResolvedCell r = resolve_cell_settings(cell, c);
    if (cell.model == "sasrec") {
      BOOST_TEST(r.cfg.train.lr == 0.0003f, cell.id);
      BOOST_TEST(r.cfg.model.dim == 12, cell.id);
    } else {
      BOOST_TEST(r.cfg.train.lr == 0.01f, cell.id);
      BOOST_TEST(r.cfg.model.dim == 8, cell.id);
    }
  }
  j["train_overrides"] = {{"bert", {{"lr", 0.1}}}};
  BOOST_TEST(error_of([&] { ExperimentConfig::parse(j, "exp.json"); }).find("unknown model 'bert'") != std::string::npos);
}

// A slower model may run fewer seeds (issue 15: SASRec on 5, GRU4Rec on 3) in the same experiment;
// the other models keep "seeds", and every grid still selects on the selection seed.
BOOST_AUTO_TEST_CASE(seed_overrides_give_one_model_its_own_seeds) {
  json j = json::parse(std::ifstream(kTiny));
  j["models"] = {"sasrec", "gru4rec"};
  j["seeds"] = {1, 2, 3};
  j["seed_overrides"] = {{"gru4rec", {1, 2}}};
  const ExperimentConfig c = ExperimentConfig::parse(j, "exp.json");
  std::map<std::string, std::set<std::uint64_t>> seeds;  // model/treatment -> seeds
  for (const Cell& cell : c.phase1_cells()) seeds[cell.model + "/" + cell.treatment].insert(cell.seed);
  BOOST_TEST((seeds.at("sasrec/none") == std::set<std::uint64_t>{1, 2, 3}));
  BOOST_TEST((seeds.at("gru4rec/none") == std::set<std::uint64_t>{1, 2}));
  BOOST_TEST((seeds.at("gru4rec/random") == std::set<std::uint64_t>{1}));  // a grid: the selection seed only
  std::map<std::string, std::string> chosen;
  for (const std::string& group : c.gridded_groups()) chosen[group] = "p=0.2";
  for (const Cell& cell : c.phase2_cells(chosen)) seeds[cell.model + "/" + cell.treatment + "/2"].insert(cell.seed);
  BOOST_TEST((seeds.at("sasrec/random/2") == std::set<std::uint64_t>{2, 3}));
  BOOST_TEST((seeds.at("gru4rec/random/2") == std::set<std::uint64_t>{2}));

  j["seed_overrides"] = {{"gru4rec", {2, 3}}};
  BOOST_TEST(error_of([&] { ExperimentConfig::parse(j, "exp.json"); }) ==
             "exp.json: seed_overrides.gru4rec does not hold the selection seed 1");
  j["seed_overrides"] = {{"gru4rec", json::array()}};
  BOOST_TEST(error_of([&] { ExperimentConfig::parse(j, "exp.json"); }) ==
             "exp.json: seed_overrides.gru4rec must be a non-empty list of seeds");
  j["seed_overrides"] = {{"bert", {1}}};
  BOOST_TEST(error_of([&] { ExperimentConfig::parse(j, "exp.json"); }).find("unknown model 'bert'") != std::string::npos);
}

// A sweep given as a list names its variants one by one: the paper's L2Aug ({}), the two controls
// and an estimator, without the product a sweep of lists would make.
BOOST_AUTO_TEST_CASE(a_sweep_list_gives_one_variant_per_entry) {
  json j = json::parse(std::ifstream(kTiny));
  j["treatments"] = {{"l2aug", {{"sweep", json::array({json::object(), {{"policy", "keep_all"}}, {{"policy", "uniform"}},
                                                       {{"reward", "loglik"}, {"treatment.paired", true}}})}}}};
  const ExperimentConfig c = ExperimentConfig::parse(j, "exp.json");
  std::map<std::string, std::string> policy_of;
  for (const Cell& cell : c.phase1_cells()) {
    const ResolvedCell r = resolve_cell_settings(cell, c);
    policy_of[cell.variant] = r.spec.l2aug.policy + (r.spec.l2aug.paired ? "+paired" : "") + "/" + r.spec.l2aug.reward;
  }
  BOOST_TEST(policy_of.size() == 4u);
  BOOST_TEST(policy_of[""] == "learned/hr+ndcg");
  BOOST_TEST(policy_of["policy=keep_all"] == "keep_all/hr+ndcg");
  BOOST_TEST(policy_of["policy=uniform"] == "uniform/hr+ndcg");
  BOOST_TEST(policy_of["paired=true,reward=loglik"] == "learned+paired/loglik");
  auto bad = [&](const json& sweep) {
    json k = j;
    k["treatments"]["l2aug"]["sweep"] = sweep;
    return error_of([&] { ExperimentConfig::parse(k, "exp.json"); });
  };
  BOOST_TEST(bad(json::array()).find("at least one variant") != std::string::npos);
  BOOST_TEST(bad(json::array({1})).find("must be an object of settings") != std::string::npos);
  BOOST_TEST(bad(json::array({{{"policy", {"a", "b"}}}})).find("one value per key") != std::string::npos);
  BOOST_TEST(bad(json::array({{{"policy", "greedy"}}})).find("'policy' must be learned, keep_all or uniform") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(svg_escapes_text_and_the_t_test_matches_known_values) {
  const std::string svg = report::bar_chart("a <b> & \"c\"", "y", {"x&y"}, {{"s<1>", {1.0}, {0.1}}});
  std::string why;
  BOOST_TEST(well_formed_xml(svg, why), why);
  BOOST_TEST(svg.find("a &lt;b&gt; &amp; &quot;c&quot;") != std::string::npos);
  BOOST_TEST(well_formed_xml(report::line_chart("t", "x", "y", {{"a", {1, 2, 3}, {1, 4, 9}, {}}}, true), why), why);
  // Student's t: P(|T_4| >= 2.776) = 0.05, P(|T_1| >= 1) = 0.5.
  BOOST_TEST(std::fabs(report::student_t_two_sided(2.776445, 4.0) - 0.05) < 1e-5);
  BOOST_TEST(std::fabs(report::student_t_two_sided(1.0, 1.0) - 0.5) < 1e-9);
  const report::PairedTest t = report::paired_t_test({1.0, 2.0, 3.0, 4.0}, {0.5, 1.4, 2.6, 3.2});
  BOOST_TEST(t.n == 4);
  BOOST_TEST(std::fabs(t.mean_diff - 0.575) < 1e-12);
  BOOST_TEST(report::paired_t_test({1.0}, {0.0}).p == 1.0);  // undefined with one pair
}

BOOST_AUTO_TEST_SUITE_END()
