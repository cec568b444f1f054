#include "l2aug/app/experiment_config.h"

#include <algorithm>
#include <set>

#include "l2aug/app/data_options.h"
#include "recsys/json_int.h"
#include "tensor/check.h"

namespace l2::app {

namespace {

void check_keys(const nlohmann::json& j, const std::string& where, const std::set<std::string>& known) {
  L2_CHECK(j.is_object(), where << " must be a JSON object");
  for (auto it = j.begin(); it != j.end(); ++it)
    if (!known.count(it.key())) {
      std::string list;
      for (const std::string& k : known) list += (list.empty() ? "" : ", ") + k;
      L2_FAIL(where << ": unknown key '" << it.key() << "' (known: " << list << ")");
    }
}

std::string value_text(const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

// "treatment.p" -> {"treatment", "p"}; an unqualified key belongs to `default_section`.
std::pair<std::string, std::string> split_key(const std::string& key, const std::string& default_section,
                                              const std::string& where) {
  const auto dot = key.find('.');
  if (dot == std::string::npos) {
    L2_CHECK(!default_section.empty(), where << ": grid key '" << key << "' must be qualified (treatment.<k>, train.<k>, "
                                             << "model.<k> or data.<option>)");
    return {default_section, key};
  }
  const std::string section = key.substr(0, dot);
  L2_CHECK(section == "treatment" || section == "train" || section == "model" || section == "data",
           where << ": grid key '" << key << "' must start with treatment., train., model. or data.");
  return {section, key.substr(dot + 1)};
}

// `into` plus the keys of a treatment's own grid or sweep, whose unqualified keys are treatment settings.
nlohmann::json with_treatment_keys(nlohmann::json into, const nlohmann::json& own, const std::string& where) {
  for (auto it = own.begin(); it != own.end(); ++it) {
    const auto [section, key] = split_key(it.key(), "treatment", where);
    into[section + "." + key] = it.value();
  }
  return into;
}

// Note [Grid size]
// A grid is every combination of its lists, so a few hundred bytes of configuration can describe
// millions of cells (four lists of 40 values: 2.56 million per dataset, model and treatment), which
// the runner would spend hours just listing and years running; even 76,000 cells took 15 s to
// resolve under the sanitizers. An experiment larger than this is refused, counted without listing
// it (at a minute a cell, 10,000 cells are a week of computing); split it into several instead.
constexpr std::uint64_t kMaxCells = 10000;

// The number of points of a grid, saturating above kMaxCells.
std::uint64_t grid_points(const nlohmann::json& grid) {
  std::uint64_t n = 1;
  for (const auto& values : grid)
    n = std::min<std::uint64_t>(kMaxCells + 1, n * std::max<std::uint64_t>(values.is_array() ? values.size() : 1, 1));
  return n;
}

// The cartesian product of a grid (keys in sorted order), each point as (key, value) pairs.
std::vector<std::vector<std::pair<std::string, nlohmann::json>>> expand(const nlohmann::json& grid,
                                                                         const std::string& where) {
  std::vector<std::vector<std::pair<std::string, nlohmann::json>>> points = {{}};
  std::vector<std::string> keys;
  for (auto it = grid.begin(); it != grid.end(); ++it) keys.push_back(it.key());
  std::sort(keys.begin(), keys.end());
  for (const std::string& k : keys) {
    const nlohmann::json& values = grid.at(k);
    L2_CHECK(values.is_array() && !values.empty(), where << ": grid '" << k << "' must be a non-empty list");
    std::vector<std::vector<std::pair<std::string, nlohmann::json>>> next;
    for (const auto& p : points)
      for (const auto& v : values) {
        auto q = p;
        q.emplace_back(k, v);
        next.push_back(q);
      }
    points = std::move(next);
  }
  return points;
}

// A treatment's sweep: an object of lists (every combination, as a grid), or a list of objects,
// each one variant with its own settings ({} is the treatment as configured). Keys as in a grid.
std::vector<std::vector<std::pair<std::string, nlohmann::json>>> sweep_variants(const nlohmann::json& tj,
                                                                                const std::string& where) {
  const nlohmann::json sweep = tj.value("sweep", nlohmann::json::object());
  if (!sweep.is_array()) return expand(with_treatment_keys(nlohmann::json::object(), sweep, where), where);
  L2_CHECK(!sweep.empty(), where << ": a sweep given as a list must name at least one variant");
  std::vector<std::vector<std::pair<std::string, nlohmann::json>>> variants;
  for (const nlohmann::json& v : sweep) {
    L2_CHECK(v.is_object(), where << ": each variant of a sweep list must be an object of settings, got " << v.dump());
    std::vector<std::pair<std::string, nlohmann::json>> variant;
    const nlohmann::json qualified = with_treatment_keys(nlohmann::json::object(), v, where);
    for (const auto& [k, value] : qualified.items()) {
      L2_CHECK(!value.is_array(), where << ": a variant of a sweep list gives one value per key, got a list for '" << k << "'");
      variant.emplace_back(k, value);
    }
    variants.push_back(variant);
  }
  return variants;
}

}  // namespace

std::string path_safe(const std::string& s) {
  std::string out;
  for (char c : s) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '=' || c == '.' || c == '-') ? c : '_';
  return out;
}

ExperimentConfig ExperimentConfig::load(const std::string& path) { return parse(read_json_file(path), path); }

ExperimentConfig ExperimentConfig::parse(const nlohmann::json& j, const std::string& source) {
  ExperimentConfig c;
  c.source = source;
  c.raw = j;
  const std::string where = source;
  check_keys(j, where, {"name", "description", "budget", "seeds", "selection_seed", "criterion", "datasets", "models",
                        "model", "model_overrides", "train", "train_overrides", "seed_overrides", "treatments", "grid"});
  try {
    c.name = j.value("name", std::string("experiment"));
    L2_CHECK(j.contains("seeds") && j.at("seeds").is_array() && !j.at("seeds").empty(),
             where << ": 'seeds' must be a non-empty list");
    for (const auto& s : j.at("seeds")) c.seeds.push_back(recsys::json_int<std::uint64_t>(s));
    c.selection_seed = j.contains("selection_seed") ? recsys::json_int<std::uint64_t>(j.at("selection_seed")) : c.seeds.front();
    L2_CHECK(std::find(c.seeds.begin(), c.seeds.end(), c.selection_seed) != c.seeds.end(),
             where << ": 'selection_seed' " << c.selection_seed << " is not one of the seeds");
    if (j.contains("criterion")) {
      check_keys(j.at("criterion"), where + ": criterion", {"metric", "group"});
      c.criterion = j.at("criterion").value("metric", c.criterion);
      c.criterion_group = j.at("criterion").value("group", c.criterion_group);
    }
    L2_CHECK(j.contains("datasets") && j.at("datasets").is_object() && !j.at("datasets").empty(),
             where << ": 'datasets' must name at least one dataset");
    for (auto it = j.at("datasets").begin(); it != j.at("datasets").end(); ++it) {
      check_keys(it.value(), where + ": datasets." + it.key(), {"data", "options"});
      L2_CHECK(it.value().contains("data"), where << ": datasets." << it.key() << " has no 'data'");
      c.datasets[it.key()] = it.value();
    }
    L2_CHECK(j.contains("models") && j.at("models").is_array() && !j.at("models").empty(),
             where << ": 'models' must be a non-empty list");
    for (const auto& m : j.at("models")) {
      recsys::parse_model_kind(m.get<std::string>());  // throws naming the known models
      c.models.push_back(m.get<std::string>());
    }
    L2_CHECK(j.contains("treatments") && j.at("treatments").is_object() && !j.at("treatments").empty(),
             where << ": 'treatments' must name at least one treatment");
    for (auto it = j.at("treatments").begin(); it != j.at("treatments").end(); ++it) {
      parse_treatment(it.key());
      check_keys(it.value(), where + ": treatments." + it.key(), {"settings", "grid", "sweep"});
      c.treatments.push_back(it.key());
    }
    // The paper's order (none, Random, Focused, Adversarial, L2Aug), not the file's (JSON objects are unordered).
    std::sort(c.treatments.begin(), c.treatments.end(),
              [](const std::string& a, const std::string& b) { return int(parse_treatment(a)) < int(parse_treatment(b)); });
    for (const char* overrides : {"model_overrides", "train_overrides", "seed_overrides"})
      if (j.contains(overrides))
        for (auto it = j.at(overrides).begin(); it != j.at(overrides).end(); ++it) recsys::parse_model_kind(it.key());
    // A model's own seeds, e.g. fewer for a slower model; grids select on the selection seed, which
    // every model must therefore run.
    if (j.contains("seed_overrides"))
      for (auto it = j.at("seed_overrides").begin(); it != j.at("seed_overrides").end(); ++it) {
        const std::string at = where + ": seed_overrides." + it.key();
        L2_CHECK(it.value().is_array() && !it.value().empty(), at << " must be a non-empty list of seeds");
        std::vector<std::uint64_t>& own = c.model_seeds[it.key()];
        for (const auto& s : it.value()) own.push_back(recsys::json_int<std::uint64_t>(s));
        L2_CHECK(std::find(own.begin(), own.end(), c.selection_seed) != own.end(),
                 at << " does not hold the selection seed " << c.selection_seed);
      }
  } catch (const nlohmann::json::exception& e) {
    L2_FAIL(where << ": " << e.what());
  }
  try {
    std::uint64_t cells = 0;  // Note [Grid size]
    for (std::size_t d = 0; d < c.datasets.size(); ++d)
      for (std::size_t m = 0; m < c.models.size(); ++m)
        for (const std::string& treatment : c.treatments) {
          const nlohmann::json& tj = j.at("treatments").at(treatment);
          const std::string at = where + ": treatments." + treatment;
          const auto grid = with_treatment_keys(j.value("grid", nlohmann::json::object()),
                                                tj.value("grid", nlohmann::json::object()), at + ".grid");
          cells += grid_points(grid) * sweep_variants(tj, at + ".sweep").size() * c.seeds_of(c.models[m]).size();
          L2_CHECK(cells <= kMaxCells, where << ": the experiment has more than " << kMaxCells << " cells (every combination "
                                             << "of the grid lists, for each dataset, model, treatment and seed); split it "
                                             << "into several configurations");
        }
    // Resolve every cell now, so that a bad setting is reported before hours of running.
    for (const Cell& cell : c.phase1_cells()) resolve_cell_settings(cell, c);
  } catch (const nlohmann::json::exception& e) {  // e.g. a grid that is a list, not an object
    L2_FAIL(where << ": " << e.what());
  }
  return c;
}

std::vector<Cell> ExperimentConfig::cells_of(const std::string& dataset, const std::string& model,
                                             const std::string& treatment) const {
  const nlohmann::json& tj = raw.at("treatments").at(treatment);
  const nlohmann::json grid = with_treatment_keys(raw.value("grid", nlohmann::json::object()),
                                                  tj.value("grid", nlohmann::json::object()),
                                                  source + ": treatments." + treatment + ".grid");
  for (auto it = grid.begin(); it != grid.end(); ++it) split_key(it.key(), "", source + ": grid");
  const auto points = expand(grid, source);
  const bool gridded = points.size() > 1;
  std::vector<Cell> cells;
  for (const auto& variant : sweep_variants(tj, source + ": treatments." + treatment + ".sweep"))
    for (const auto& point : points) {
      nlohmann::json s = {{"data", raw.at("datasets").at(dataset).value("options", nlohmann::json::object())},
                          {"model", raw.value("model", nlohmann::json::object())},
                          {"train", raw.value("train", nlohmann::json::object())},
                          {"treatment", tj.value("settings", nlohmann::json::object())}};
      if (raw.contains("model_overrides") && raw.at("model_overrides").contains(model))
        s["model"].update(raw.at("model_overrides").at(model));
      if (raw.contains("train_overrides") && raw.at("train_overrides").contains(model))
        s["train"].update(raw.at("train_overrides").at(model));
      s["data"]["data"] = raw.at("datasets").at(dataset).at("data");
      std::string variant_name, name;
      for (const auto& [k, v] : variant) {
        const auto [section, key] = split_key(k, "", source);
        s[section][key] = v;
        variant_name += (variant_name.empty() ? "" : ",") + key + "=" + value_text(v);
      }
      for (const auto& [k, v] : point) {
        const auto [section, key] = split_key(k, "", source);
        s[section][key] = v;
        name += (name.empty() ? "" : ",") + key + "=" + value_text(v);
      }
      Cell base;
      base.dataset = dataset;
      base.model = model;
      base.treatment = treatment;
      base.variant = variant_name;
      base.group = dataset + "/" + model + "/" + treatment + (variant_name.empty() ? "" : "[" + variant_name + "]");
      base.point = name.empty() ? "default" : name;
      base.grid_point = gridded;
      base.settings = s;
      for (std::uint64_t seed : seeds_of(model)) {
        Cell cell = base;
        cell.seed = seed;
        cell.id = dataset + "/" + model + "/" + treatment + (variant_name.empty() ? std::string() : std::string("/") + path_safe(variant_name)) +
                  "/" + path_safe(base.point) + "/seed" + std::to_string(seed);
        cells.push_back(cell);
      }
    }
  return cells;
}

namespace {
// Cells run treatment by treatment (the untreated model first, L2Aug last: Note [Shared
// pretraining] in experiment.cpp), then in the order of their ids.
bool run_order(const Cell& a, const Cell& b) {
  const int ta = int(parse_treatment(a.treatment)), tb = int(parse_treatment(b.treatment));
  return ta != tb ? ta < tb : a.id < b.id;
}
}  // namespace

std::vector<Cell> ExperimentConfig::phase1_cells() const {
  std::vector<Cell> out;
  for (const auto& [dataset, d] : datasets)
    for (const std::string& model : models)
      for (const std::string& treatment : treatments)
        for (Cell& c : cells_of(dataset, model, treatment))
          if (!c.grid_point || c.seed == selection_seed) out.push_back(std::move(c));
  std::sort(out.begin(), out.end(), run_order);
  return out;
}

std::vector<Cell> ExperimentConfig::phase2_cells(const std::map<std::string, std::string>& chosen) const {
  std::vector<Cell> out;
  for (const auto& [dataset, d] : datasets)
    for (const std::string& model : models)
      for (const std::string& treatment : treatments)
        for (Cell& c : cells_of(dataset, model, treatment)) {
          if (!c.grid_point || c.seed == selection_seed) continue;
          auto it = chosen.find(c.group);
          if (it != chosen.end() && it->second == c.point) out.push_back(std::move(c));
        }
  std::sort(out.begin(), out.end(), run_order);
  return out;
}

const std::vector<std::uint64_t>& ExperimentConfig::seeds_of(const std::string& model) const {
  const auto it = model_seeds.find(model);
  return it == model_seeds.end() ? seeds : it->second;
}

std::vector<std::string> ExperimentConfig::gridded_groups() const {
  std::set<std::string> groups;
  for (const Cell& c : phase1_cells())
    if (c.grid_point) groups.insert(c.group);
  return {groups.begin(), groups.end()};
}

ResolvedCell resolve_cell_settings(const Cell& cell, const ExperimentConfig& e) {
  ResolvedCell r;
  const nlohmann::json& s = cell.settings;
  try {
    // Data options exactly as on the command line, through the same parser.
    std::vector<std::string> words = {"experiment"};
    for (auto it = s.at("data").begin(); it != s.at("data").end(); ++it) {
      if (it.value().is_boolean()) {
        if (it.value().get<bool>()) words.push_back("--" + it.key());
      } else {
        words.push_back("--" + it.key());
        words.push_back(value_text(it.value()));
      }
    }
    std::vector<const char*> argv;
    for (const std::string& w : words) argv.push_back(w.c_str());
    Command cmd("experiment data", "");
    add_data_options(cmd);
    r.data = data_config_from_args(cmd.parse(int(argv.size()), argv.data(), 1));

    const recsys::ModelKind kind = recsys::parse_model_kind(cell.model);
    nlohmann::json model = recsys::ModelConfig::defaults(kind).to_json();
    model.update(s.at("model"));
    model["model"] = cell.model;
    model["seed"] = cell.seed;
    r.cfg.model = recsys::ModelConfig::from_json(model);
    r.cfg.train = recsys::TrainConfig::defaults(kind);
    r.cfg.train.apply_json(s.at("train"));
    r.cfg.train.seed = cell.seed;
    r.cfg.train.criterion = e.criterion;
    r.cfg.train.criterion_group = e.criterion_group;
    r.cfg.train.apply_json(nlohmann::json::object());  // re-checks the criterion
    r.spec = TreatmentSpec::parse(parse_treatment(cell.treatment), s.at("treatment"));
    r.spec.l2aug.seed = cell.seed;
    r.spec.l2aug.check_combination();
    r.spec.adversarial.seed = cell.seed;
    r.cfg.treatment = r.spec.to_json();
  } catch (const UsageError& err) {
    L2_FAIL(e.source << ", cell " << cell.id << ": " << err.what());
  } catch (const Error& err) {
    L2_FAIL(e.source << ", cell " << cell.id << ": " << err.what());
  } catch (const nlohmann::json::exception& err) {
    L2_FAIL(e.source << ", cell " << cell.id << ": " << err.what());
  }
  return r;
}

}  // namespace l2::app
