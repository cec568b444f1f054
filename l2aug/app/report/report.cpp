#include "l2aug/app/report/report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "l2aug/app/experiment_config.h"
#include "l2aug/app/model_options.h"
#include "l2aug/app/policy_profile.h"
#include "l2aug/app/report/stats.h"
#include "l2aug/app/report/svg.h"
#include "nn/checkpoint.h"

namespace l2::app {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const std::vector<std::string> kMetrics = {"ndcg@5", "hr@5", "ndcg@10", "hr@10"};  // Table 2's column order
const std::vector<std::string> kBaselines = {"random", "focused", "adversarial"};

struct CellResult {
  json cell;     // cell.json
  json metrics;  // metrics.json
  fs::path dir;
  std::string group() const { return cell.at("group"); }
  std::uint64_t seed() const { return cell.at("seed"); }
  double value(const std::string& set, const std::string& user_group, const std::string& metric) const {
    return metrics.at(set).at("metrics").at(user_group).at(metric).get<double>();
  }  // Written by a build from a modified tree (older files only carry the commit's "-dirty" suffix).
  bool modified_tree() const {
    const json b = metrics.value("build", json::object());
    const std::string commit = b.value("commit", std::string());
    return b.value("source_tree", std::string()) == "modified" ||
           (commit.size() >= 6 && commit.compare(commit.size() - 6, 6, "-dirty") == 0);
  }
};

// A reported row: one dataset/model/treatment[variant] at its chosen point, over seeds.
struct Row {
  std::string dataset, model, treatment, variant, point;
  std::vector<const CellResult*> cells;  // sorted by seed
  std::vector<double> values(const std::string& user_group, const std::string& metric) const {
    std::vector<double> v;
    for (const CellResult* c : cells) v.push_back(c->value("test", user_group, metric));
    return v;
  }
  std::vector<std::uint64_t> seeds() const {
    std::vector<std::uint64_t> s;
    for (const CellResult* c : cells) s.push_back(c->seed());
    return s;
  }
  bool modified_tree() const {
    return std::any_of(cells.begin(), cells.end(), [](const CellResult* c) { return c->modified_tree(); });
  }
  std::string label() const {
    std::string t = treatment == "none" ? model : "w/ " + treatment;
    if (!variant.empty()) t += " [" + variant + "]";
    return t;
  }
};

// The values of rows a and b on the seeds both have, in seed order: the pairs of a paired test.
std::pair<std::vector<double>, std::vector<double>> common_seeds(const Row& a, const Row& b, const std::string& user_group,
                                                                 const std::string& metric) {
  std::pair<std::vector<double>, std::vector<double>> out;
  for (const CellResult* x : a.cells)
    for (const CellResult* y : b.cells)
      if (x->seed() == y->seed()) {
        out.first.push_back(x->value("test", user_group, metric));
        out.second.push_back(y->value("test", user_group, metric));
      }
  return out;
}

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

std::string mean_std(const std::vector<double>& v) {
  return fmt("%.2f", 100.0 * report::mean(v)) + " ± " + fmt("%.2f", 100.0 * report::sample_std(v));
}

// Unscaled (correlations, probabilities).
std::string mean_std_raw(const std::vector<double>& v) {
  return fmt("%.2f", report::mean(v)) + (v.size() > 1 ? " ± " + fmt("%.2f", report::sample_std(v)) : std::string());
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Columns of a CSV log by header name.
std::map<std::string, std::vector<double>> read_csv(const fs::path& p) {
  std::map<std::string, std::vector<double>> cols;
  std::ifstream in(p);
  std::string line;
  if (!std::getline(in, line)) return cols;
  std::vector<std::string> names;
  std::stringstream hs(line);
  std::string name;
  while (std::getline(hs, name, ',')) names.push_back(name);
  while (std::getline(in, line)) {
    std::stringstream ls(line);
    std::string v;
    for (size_t k = 0; k < names.size() && std::getline(ls, v, ','); ++k) cols[names[k]].push_back(std::atof(v.c_str()));
  }
  return cols;
}

std::string markdown_table_to_html(const std::string& md) {
  std::ostringstream os;
  std::istringstream in(md);
  std::string line;
  bool header = true;
  os << "<table>\n";
  while (std::getline(in, line)) {
    if (line.rfind("|---", 0) == 0) continue;
    std::vector<std::string> cells;
    std::stringstream ls(line.substr(1));
    std::string c;
    while (std::getline(ls, c, '|')) cells.push_back(c);
    os << "<tr>";
    for (std::string cell : cells) {
      while (!cell.empty() && cell.front() == ' ') cell.erase(cell.begin());
      while (!cell.empty() && cell.back() == ' ') cell.pop_back();
      std::string text = report::xml_escape(cell);
      if (text.size() > 4 && text.rfind("**", 0) == 0) text = "<b>" + text.substr(2, text.size() - 4) + "</b>";
      os << (header ? "<th>" : "<td>") << text << (header ? "</th>" : "</td>");
    }
    os << "</tr>\n";
    header = false;
  }
  os << "</table>\n";
  return os.str();
}

}  // namespace

ReportSummary write_report(const std::vector<fs::path>& dirs) {
  L2_CHECK(!dirs.empty(), "report: no experiment folder given");
  const fs::path out = dirs.front();
  const fs::path exp_file = out / "experiment.json";
  L2_CHECK(fs::exists(exp_file), out.string() << " is not an experiment folder (no experiment.json)");
  const json experiment = read_json_file(exp_file.string());
  const ExperimentConfig config = ExperimentConfig::parse(experiment.at("config"), experiment.value("source", exp_file.string()));

  // Every finished cell of every folder (shards merge by id).
  std::map<std::string, CellResult> results;
  int unfinished = 0;
  for (const fs::path& d : dirs) {
    L2_CHECK(fs::exists(d / "cells") || fs::exists(d / "experiment.json"), d.string() << " is not an experiment folder");
    if (!fs::exists(d / "cells")) continue;
    for (const auto& e : fs::recursive_directory_iterator(d / "cells")) {
      if (e.path().filename() != "cell.json") continue;
      const fs::path dir = e.path().parent_path();
      if (!fs::exists(dir / "metrics.json")) {
        ++unfinished;
        continue;
      }
      CellResult r{read_json_file(e.path().string()), read_json_file((dir / "metrics.json").string()), dir};
      results.emplace(r.cell.at("id").get<std::string>(), std::move(r));
    }
  }
  L2_CHECK(!results.empty(), "report: no finished cell under " << out.string() << "/cells");

  // The reduce step again, from the files: the chosen point of each gridded group.
  std::map<std::string, std::string> chosen;
  json selection = json::object();
  for (const auto& [id, r] : results) {
    if (!r.cell.at("grid_point").get<bool>() || r.seed() != config.selection_seed) continue;
    const double v = r.value("validation", config.criterion_group, config.criterion);
    auto& g = selection[r.group()];
    g["points"][r.cell.at("point").get<std::string>()] = v;
    if (!g.contains("best") || v > g["best"].get<double>()) {
      g["best"] = v;
      chosen[r.group()] = r.cell.at("point");
    }
  }
  std::map<std::string, Row> rows;  // by group
  for (const auto& [id, r] : results) {
    const std::string group = r.group();
    if (r.cell.at("grid_point").get<bool>() && (!chosen.count(group) || chosen[group] != r.cell.at("point"))) continue;
    Row& row = rows[group];
    row.dataset = r.cell.at("dataset");
    row.model = r.cell.at("model");
    row.treatment = r.cell.at("treatment");
    row.variant = r.cell.value("variant", std::string());
    row.point = r.cell.at("point");
    row.cells.push_back(&r);
  }
  for (auto& [g, row] : rows)
    std::sort(row.cells.begin(), row.cells.end(), [](const CellResult* a, const CellResult* b) { return a->seed() < b->seed(); });

  // Ordered views: datasets, models and treatments in the configuration's order.
  std::vector<std::string> datasets;
  for (const auto& [name, d] : config.datasets) datasets.push_back(name);
  auto rows_of = [&](const std::string& model) {
    std::vector<const Row*> v;
    for (const std::string& t : config.treatments)
      for (const auto& [g, row] : rows)
        if (row.model == model && row.treatment == t) {
          bool seen = false;
          for (const Row* x : v) seen = seen || (x->treatment == row.treatment && x->variant == row.variant);
          if (!seen) v.push_back(&row);
        }
    return v;
  };
  auto find_row = [&](const std::string& dataset, const std::string& model, const std::string& treatment,
                      const std::string& variant) -> const Row* {
    for (const auto& [g, row] : rows)
      if (row.dataset == dataset && row.model == model && row.treatment == treatment && row.variant == variant) return &row;
    return nullptr;
  };

  std::ostringstream md;
  json rj = {{"experiment", config.name}, {"criterion", config.criterion}, {"criterion_group", config.criterion_group},
             {"selection", selection}, {"rows", json::array()}};
  const json& any_metrics = results.begin()->second.metrics;
  md << "# Report: " << config.name << "\n\n";
  md << "Generated by `l2aug report` from " << results.size() << " finished cells (" << unfinished << " unfinished) in `"
     << out.string() << "`. Every number below comes from the cells' `metrics.json` files (test set, full ranking over all "
     << "items); `report.json` lists the per-seed values.\n\n";
  std::map<std::string, int> cell_commits;  // the cells' own builds: a run resumed later may mix commits
  for (const auto& [id, c] : results)
    cell_commits[c.metrics.contains("build") ? c.metrics.at("build").value("commit", "?") : "?"] += 1;
  md << "- commit of the last run: `" << experiment.at("build").value("commit", "?") << "`, version "
     << experiment.at("build").value("version", "?") << "; the cells' commits:";
  for (const auto& [commit, n] : cell_commits) md << " `" << commit << "` (" << n << (n == 1 ? " cell)" : " cells)");
  md << "\n- build: " << experiment.at("build").value("compiler", "?") << ", `" << experiment.at("build").value("flags", "?")
     << "`, SIMD " << experiment.at("build").value("simd", "?") << "\n- BLAS: " << experiment.at("build").value("blas_core", "?")
     << ", " << experiment.at("build").value("blas_threading", "?") << "; threads " << experiment.at("build").value("threads", "?")
     << "\n- protocol: " << any_metrics.at("data").value("protocol", "?") << " (cutoff "
     << any_metrics.at("data").value("cutoff_origin", std::string("?")) << "); evaluation "
     << any_metrics.at("test").value("protocol", "full") << "\n- selection: every treatment stops and selects on validation "
     << config.criterion << " of " << config.criterion_group << " users; grid points run on seed " << config.selection_seed
     << ", the chosen point on seeds";
  for (auto s : config.seeds) md << " " << s;
  for (const auto& [model, seeds] : config.model_seeds) {
    md << " (" << model << ":";
    for (auto s : seeds) md << " " << s;
    md << ")";
  }
  md << "\n\n";
  // Provenance: a number from a build of a modified tree cannot be traced to committed code.
  std::vector<std::string> modified;
  for (const auto& [id, r] : results)
    if (r.modified_tree()) modified.push_back(id);
  rj["modified_tree_cells"] = modified;
  if (!modified.empty())
    md << "**Warning: " << modified.size() << " of " << results.size() << " cells were produced by builds from a modified "
       << "source tree (uncommitted changes), so their numbers cannot be traced to committed code and are not evidence. "
       << "Values that include them are marked †.**\n\n";

  // ---- Table 2 layout, per user group ----
  std::ostringstream terminal;
  for (const std::string user_group : {"casual", "core"}) {
    md << "## " << (user_group == std::string("casual") ? "Casual" : "Core") << " users (test, %, mean ± std over seeds)\n\n";
    md << "| Method |";
    for (const std::string& d : datasets)
      for (const std::string& m : kMetrics) md << " " << d << " " << m << " |";
    md << "\n|---|";
    for (size_t k = 0; k < datasets.size() * kMetrics.size(); ++k) md << "---|";
    md << "\n";
    for (const std::string& model : config.models) {
      const std::vector<const Row*> block = rows_of(model);
      // Best mean per column within the model's block.
      std::map<std::string, double> best;
      for (const Row* r : block)
        for (const std::string& d : datasets)
          if (const Row* x = find_row(d, model, r->treatment, r->variant))
            for (const std::string& m : kMetrics) {
              const double v = report::mean(x->values(user_group, m));
              best[d + m] = std::max(best.count(d + m) ? best[d + m] : -1.0, v);
            }
      for (const Row* r : block) {
        md << "| " << r->label() << " |";
        for (const std::string& d : datasets) {
          const Row* x = find_row(d, model, r->treatment, r->variant);
          for (const std::string& m : kMetrics) {
            if (!x) {
              md << " - |";
              continue;
            }
            const std::vector<double> v = x->values(user_group, m);
            const bool is_best = block.size() > 1 && report::mean(v) >= best[d + m];
            md << " " << (is_best ? "**" : "") << mean_std(v) << (is_best ? "**" : "") << (x->modified_tree() ? " †" : "")
               << " |";
          }
        }
        md << "\n";
      }
    }
    md << "\n";
  }
  for (const auto& [g, row] : rows) {
    json jr = {{"group", g}, {"dataset", row.dataset}, {"model", row.model}, {"treatment", row.treatment},
               {"variant", row.variant}, {"point", row.point}, {"seeds", row.seeds()}};
    for (const std::string ug : {"casual", "core", "all"})
      for (const std::string& m : kMetrics) {
        const std::vector<double> v = row.values(ug, m);
        jr["test"][ug][m] = {{"values", v}, {"mean", report::mean(v)}, {"std", report::sample_std(v)}};
      }
    rj["rows"].push_back(jr);
  }

  // ---- L2Aug against the best baseline and the untreated model ----
  md << "## L2Aug against the best baseline (casual users, test)\n\n";
  md << "Relative improvement of the L2Aug mean over the best of the baselines present (Random, Focused, Adversarial) "
        "and over the untreated model; p: two-sided paired t-test over the seeds both rows have.\n\n";
  md << "| dataset | model | metric | L2Aug | best baseline | vs best baseline | p | vs untreated | p |\n"
        "|---|---|---|---|---|---|---|---|---|\n";
  json improvements = json::array();
  for (const std::string& d : datasets)
    for (const std::string& model : config.models) {
      const Row* l2 = find_row(d, model, "l2aug", "");
      if (!l2) continue;
      for (const std::string& m : kMetrics) {
        const std::vector<double> a = l2->values("casual", m);
        const Row* best = nullptr;
        for (const std::string& b : kBaselines)
          if (const Row* x = find_row(d, model, b, ""))
            if (!best || report::mean(x->values("casual", m)) > report::mean(best->values("casual", m))) best = x;
        const Row* none = find_row(d, model, "none", "");
        auto rel = [&](const Row* x) {
          if (!x) return std::pair<std::string, std::string>{"-", "-"};
          const double bm = report::mean(x->values("casual", m));
          const auto [pa, pb] = common_seeds(*l2, *x, "casual", m);
          const report::PairedTest t = report::paired_t_test(pa, pb);
          return std::pair<std::string, std::string>{fmt("%+.2f%%", 100.0 * (report::mean(a) - bm) / std::max(1e-12, bm)),
                                                     t.n >= 2 ? fmt("%.3g", t.p) : "-"};
        };
        const auto [vb, pb] = rel(best);
        const auto [vn, pn] = rel(none);
        md << "| " << d << " | " << model << " | " << m << " | " << mean_std(a) << " | "
           << (best ? best->treatment + " " + mean_std(best->values("casual", m)) : "-") << " | " << vb << " | " << pb
           << " | " << vn << " | " << pn << " |\n";
        improvements.push_back({{"dataset", d}, {"model", model}, {"metric", m}, {"vs_best_baseline", vb}, {"p_best", pb},
                                {"best_baseline", best ? best->treatment : ""}, {"vs_untreated", vn}, {"p_untreated", pn}});
      }
    }
  rj["improvements"] = improvements;
  md << "\n";

  // ---- Learned L2Aug against its controls: what the learned augmentation itself contributes ----
  {
    json against = json::array();
    std::ostringstream table;
    for (const std::string& d : datasets)
      for (const std::string& model : config.models)
        for (const Row* l2 : rows_of(model)) {
          if (l2->dataset != d || l2->treatment != "l2aug" || l2->variant.find("policy=") != std::string::npos) continue;
          for (const Row* control : rows_of(model)) {
            if (control->dataset != d || control->treatment != "l2aug" ||
                control->variant.find("policy=") == std::string::npos)
              continue;
            for (const std::string m : {"ndcg@10", "hr@10"}) {
              const auto [a, b] = common_seeds(*l2, *control, "casual", m);
              if (a.empty()) continue;
              std::string per_seed;
              for (size_t k = 0; k < a.size(); ++k) per_seed += (k ? " " : "") + fmt("%+.3f", 100.0 * (a[k] - b[k]));
              const report::PairedTest t = report::paired_t_test(a, b);
              const std::string p = t.n >= 2 ? fmt("%.3g", t.p) : "-";
              table << "| " << d << " | " << model << " | " << l2->label() << " | " << control->label() << " | " << m
                    << " | " << a.size() << " | " << fmt("%+.3f", 100.0 * (report::mean(a) - report::mean(b))) << " | "
                    << per_seed << " | " << p << " |\n";
              against.push_back({{"dataset", d}, {"model", model}, {"row", l2->label()}, {"control", control->label()},
                                 {"metric", m}, {"seeds", a.size()}, {"difference", report::mean(a) - report::mean(b)},
                                 {"p", p}});
            }
          }
        }
    if (!against.empty()) {
      md << "## L2Aug against its controls (casual users, test)\n\n";
      md << "Each L2Aug row with a learned policy against each control that runs Algorithm 1's exact schedule, replay and "
            "selection with a policy that does not learn (`policy=keep_all`, `policy=uniform`): what the learned "
            "augmentation adds beyond the schedule. Differences in percentage points, on the seeds both rows have; "
            "p: two-sided paired t-test.\n\n";
      md << "| dataset | model | row | control | metric | seeds | difference | per seed | p |\n"
            "|---|---|---|---|---|---|---|---|---|\n"
         << table.str() << "\n";
    }
    rj["against_controls"] = against;
  }

  // ---- What the L2Aug policies learned: the reward against validation, the policy's profile ----
  {
    json policies = json::array();
    std::ostringstream table;
    for (const std::string& d : datasets)
      for (const std::string& model : config.models)
        for (const Row* r : rows_of(model)) {
          if (r->dataset != d || r->treatment != "l2aug") continue;
          std::vector<double> link, level;
          std::vector<json> profiles;
          for (const CellResult* c : r->cells) {
            if (c->metrics.contains("l2aug_reward_vs_validation"))
              link.push_back(c->metrics.at("l2aug_reward_vs_validation").at("correlation").get<double>());
            const fs::path pp = c->dir / "policy_profile.json";
            if (fs::exists(pp)) profiles.push_back(read_json_file(pp.string()));
          }
          if (profiles.empty() && link.empty()) continue;
          std::vector<double> agreement;  // every pair of seeds
          for (size_t i = 0; i < profiles.size(); ++i) {
            level.push_back(profiles[i].at("mean_p_edit").get<double>());
            for (size_t j = i + 1; j < profiles.size(); ++j) agreement.push_back(profile_agreement(profiles[i], profiles[j]));
          }
          // p(edit) per bucket of a view, averaged over seeds.
          auto view = [&](const char* name) {
            std::string text;
            if (profiles.empty()) return std::string("-");
            const size_t n = profiles[0].at(name).at("p_edit").size();
            for (size_t b = 0; b < n; ++b) {
              double m = 0.0, decisions = 0.0;
              for (const json& p : profiles) {
                m += p.at(name).at("p_edit")[b].get<double>() / double(profiles.size());
                decisions += p.at(name).at("decisions")[b].get<double>();
              }
              text += (b ? " " : "") + (decisions > 0 ? fmt("%.2f", m) : std::string("-"));
            }
            return text;
          };
          table << "| " << d << " | " << model << " | " << r->label() << " | " << (link.empty() ? "-" : mean_std_raw(link))
                << " | " << (level.empty() ? "-" : mean_std_raw(level)) << " | "
                << (agreement.empty() ? "-" : fmt("%.2f", report::mean(agreement))) << " | " << view("popularity_decile")
                << " | " << view("from_end") << " | " << view("continuity") << " |\n";
          policies.push_back({{"dataset", d}, {"model", model}, {"variant", r->variant}, {"reward_vs_validation", link},
                              {"mean_p_edit", level}, {"agreement", agreement}});
        }
    if (!policies.empty()) {
      md << "## What the L2Aug policies learned\n\n"
         << "Per L2Aug row: the correlation, over each run, between the rewards summed over a validation interval and the "
            "change of the validation criterion at its end (mean ± std over seeds; a reward that carries information about "
            "casual users makes it positive); the policy's mean probability of editing an item (dropping it, or any action "
            "but keep) over core users' training sequences; the agreement of the policies of different seeds (mean Pearson "
            "correlation of their profiles over every pair of seeds, buckets without decisions left out; the controls have "
            "constant profiles, hence '0'); and "
            "p(edit) by the item's popularity decile (rarest first), by its distance from the end of the sequence (last, "
            "2nd last, 3-4, 5-8, 9-16, 17-32, 33+) and by its continuity with the item before it (first item, 0, (0, .02], "
            "(.02, .05], (.05, .1], > .1), averaged over seeds ('-': no decision in that bucket; `policy_profile.json` in each "
            "cell).\n\n"
         << "| dataset | model | row | r(reward, validation change) | mean p(edit) | agreement across seeds | "
            "p(edit) by popularity decile | by distance from the end | by continuity |\n|---|---|---|---|---|---|---|---|---|\n"
         << table.str() << "\n";
      rj["policies"] = policies;
    }
  }

  // ---- Figures ----
  fs::create_directories(out / "figures");
  std::vector<std::pair<std::string, std::string>> figures;  // file, caption
  auto add_figure = [&](const std::string& file, const std::string& svg, const std::string& caption) {
    nn::write_file_atomically((out / "figures" / file).string(), svg);
    figures.emplace_back(file, caption);
  };
  for (const std::string& d : datasets)
    for (const std::string& model : config.models) {
      std::vector<report::BarSeries> bars;
      for (const Row* r : rows_of(model)) {
        const Row* x = find_row(d, model, r->treatment, r->variant);
        if (!x) continue;
        report::BarSeries s{x->label(), {}, {}};
        for (const std::string ug : {"casual", "core"}) {
          const std::vector<double> v = x->values(ug, "ndcg@10");
          s.values.push_back(100.0 * report::mean(v));
          s.errors.push_back(100.0 * report::sample_std(v));
        }
        bars.push_back(s);
      }
      if (bars.empty()) continue;
      add_figure("bars_" + path_safe(d) + "_" + model + ".svg",
                 report::bar_chart(d + ", " + model + ": test NDCG@10 by treatment", "NDCG@10 (%)", {"casual", "core"}, bars),
                 d + ", " + model + ": NDCG@10 per treatment for casual and core users (error bars: std over seeds).");
      // Training curves of the selection seed: the recommender's validation criterion per evaluation.
      std::vector<report::LineSeries> curves;
      for (const Row* r : rows_of(model)) {
        const Row* x = find_row(d, model, r->treatment, r->variant);
        if (!x || x->cells.empty()) continue;
        const fs::path dir = x->cells.front()->dir;
        const fs::path log = fs::exists(dir / "train_log.csv") ? dir / "train_log.csv" : dir / "pretrain" / "train_log.csv";
        const auto cols = read_csv(log);
        if (!cols.count("epoch") || !cols.count("criterion")) continue;
        std::vector<double> y = cols.at("criterion");
        for (double& v : y) v *= 100.0;
        curves.push_back({x->label(), cols.at("epoch"), y, {}});
      }
      if (!curves.empty())
        add_figure("curves_" + path_safe(d) + "_" + model + ".svg",
                   report::line_chart(d + ", " + model + ": validation " + config.criterion + " (" + config.criterion_group + ")",
                                      "epoch", config.criterion + " (%)", curves),
                   d + ", " + model + ": the recommender's validation criterion during training (L2Aug: its pretraining).");
      // The augmentor: reward, action probabilities and entropy against iteration.
      if (const Row* l2 = find_row(d, model, "l2aug", ""); l2 && !l2->cells.empty()) {
        const auto cols = read_csv(l2->cells.front()->dir / "l2aug_log.csv");
        if (cols.count("iteration") && cols.count("reward")) {
          std::vector<double> it, reward_avg;
          double avg = 0.0;
          for (size_t i = 0; i < cols.at("iteration").size(); ++i) {
            if (cols.at("iteration")[i] < 0) continue;
            avg = it.empty() ? cols.at("reward")[i] : 0.9 * avg + 0.1 * cols.at("reward")[i];
            it.push_back(cols.at("iteration")[i]);
            reward_avg.push_back(avg);
          }
          std::vector<report::LineSeries> s = {{"reward (moving average)", it, reward_avg, {}}};
          add_figure("l2aug_reward_" + path_safe(d) + "_" + model + ".svg",
                     report::line_chart(d + ", " + model + ": L2Aug reward", "iteration", "reward", s),
                     d + ", " + model + ": the augmentor's reward (meta-set gain of the fine-tuned copy, moving average).");
          std::vector<report::LineSeries> probs;
          for (const auto& [name, v] : cols)
            if (name.rfind("p_", 0) == 0) {
              std::vector<double> y;
              for (size_t i = 0; i < v.size(); ++i)
                if (cols.at("iteration")[i] >= 0) y.push_back(v[i]);
              probs.push_back({name.substr(2), it, y, {}});
            }
          if (cols.count("entropy")) {
            std::vector<double> y;
            for (size_t i = 0; i < cols.at("entropy").size(); ++i)
              if (cols.at("iteration")[i] >= 0) y.push_back(cols.at("entropy")[i]);
            probs.push_back({"entropy", it, y, {}});
          }
          add_figure("l2aug_policy_" + path_safe(d) + "_" + model + ".svg",
                     report::line_chart(d + ", " + model + ": L2Aug policy", "iteration", "probability / entropy", probs),
                     d + ", " + model + ": the augmentor's mean action probabilities and entropy.");
        }
        // Interest continuity (Figure 1(a)).
        const fs::path cont = l2->cells.front()->dir / "continuity.json";
        if (fs::exists(cont)) {
          const json c = read_json_file(cont.string());
          std::vector<report::LineSeries> s;
          const std::vector<double> edges = c.at("edges");
          for (const std::string set : {"casual", "core", "augmented"}) {
            std::vector<double> x, y;
            const std::vector<double> h = c.at(set).at("histogram");
            const double n = std::max(1.0, c.at(set).at("sequences").get<double>());
            for (size_t b = 0; b < h.size(); ++b) {
              x.push_back(0.5 * (edges[b] + edges[b + 1]));
              y.push_back(h[b] / n);
            }
            s.push_back({set + " (mean " + fmt("%.3f", c.at(set).at("mean").get<double>()) + ")", x, y, {}});
          }
          add_figure("continuity_" + path_safe(d) + "_" + model + ".svg",
                     report::line_chart(d + ": interest continuity", "mean similarity of consecutive items", "share of sequences", s),
                     d + ": interest continuity of casual, core and L2Aug-augmented core sequences (Figure 1(a)).");
        }
      }
      // Metric against sequence length (Figure 1(b)), from the untreated model's per-user test ranks.
      if (const Row* none = find_row(d, model, "none", ""); none && !none->cells.empty()) {
        const std::vector<std::pair<int, int>> buckets = {{1, 4}, {5, 9}, {10, 19}, {20, 49}, {50, 1 << 30}};
        std::vector<report::LineSeries> s;
        for (const std::string ug : {"casual", "core"}) {
          std::vector<double> hits(buckets.size(), 0.0), users(buckets.size(), 0.0);
          for (const CellResult* c : none->cells) {
            std::istringstream in(read_text(c->dir / "ranks_test.tsv"));
            std::string line;
            std::getline(in, line);
            while (std::getline(in, line)) {
              std::stringstream ls(line);
              std::string user, group, len, rank;
              std::getline(ls, user, '\t');
              std::getline(ls, group, '\t');
              std::getline(ls, len, '\t');
              std::getline(ls, rank, '\t');
              if (group != ug) continue;
              const int n = std::atoi(len.c_str());
              for (size_t b = 0; b < buckets.size(); ++b)
                if (n >= buckets[b].first && n <= buckets[b].second) {
                  users[b] += 1;
                  hits[b] += std::atoll(rank.c_str()) <= 10;
                }
            }
          }
          std::vector<double> x, y;
          for (size_t b = 0; b < buckets.size(); ++b)
            if (users[b] > 0) {
              x.push_back(double(b));
              y.push_back(100.0 * hits[b] / users[b]);
            }
          s.push_back({ug, x, y, {}});
        }
        add_figure("length_" + path_safe(d) + "_" + model + ".svg",
                   report::line_chart(d + ", " + model + ": test HR@10 by history length (0: 1-4, 1: 5-9, 2: 10-19, 3: 20-49, 4: 50+)",
                                      "history length bucket", "HR@10 (%)", s),
                   d + ", " + model + ": untreated model, test HR@10 by history length, casual vs core (Figure 1(b)).");
      }
      // Swept settings: metric against each numeric sweep (meta ratio, drop rate), bars otherwise.
      for (const std::string& t : config.treatments) {
        std::map<std::string, std::vector<const Row*>> by_key;
        for (const auto& [g, row] : rows)
          if (row.dataset == d && row.model == model && row.treatment == t && !row.variant.empty()) {
            const std::string key = row.variant.substr(0, row.variant.find('='));
            by_key[key].push_back(&row);
          }
        for (auto& [key, vrows] : by_key) {
          bool numeric = true;
          for (const Row* r : vrows) {
            const std::string v = r->variant.substr(r->variant.find('=') + 1);
            char* end = nullptr;
            std::strtod(v.c_str(), &end);
            numeric = numeric && end && *end == '\0' && r->variant.find(',') == std::string::npos;
          }
          if (numeric) {
            std::sort(vrows.begin(), vrows.end(), [](const Row* a, const Row* b) {
              return std::atof(a->variant.substr(a->variant.find('=') + 1).c_str()) <
                     std::atof(b->variant.substr(b->variant.find('=') + 1).c_str());
            });
            std::vector<report::LineSeries> s;
            for (const std::string ug : {"casual", "core"}) {
              report::LineSeries ls{ug, {}, {}, {}};
              for (const Row* r : vrows) {
                const std::vector<double> v = r->values(ug, "ndcg@10");
                ls.x.push_back(std::atof(r->variant.substr(r->variant.find('=') + 1).c_str()));
                ls.y.push_back(100.0 * report::mean(v));
                ls.errors.push_back(100.0 * report::sample_std(v));
              }
              s.push_back(ls);
            }
            add_figure("sweep_" + path_safe(d) + "_" + model + "_" + t + "_" + path_safe(key) + ".svg",
                       report::line_chart(d + ", " + model + ", " + t + ": test NDCG@10 against " + key, key, "NDCG@10 (%)", s),
                       d + ", " + model + ", " + t + ": test NDCG@10 against " + key + " (error bars: std over seeds).");
          } else {
            std::vector<report::BarSeries> bars;
            for (const Row* r : vrows) {
              report::BarSeries b{r->variant, {}, {}};
              for (const std::string ug : {"casual", "core"}) {
                const std::vector<double> v = r->values(ug, "ndcg@10");
                b.values.push_back(100.0 * report::mean(v));
                b.errors.push_back(100.0 * report::sample_std(v));
              }
              bars.push_back(b);
            }
            add_figure("sweep_" + path_safe(d) + "_" + model + "_" + t + "_" + path_safe(key) + ".svg",
                       report::bar_chart(d + ", " + model + ", " + t + ": test NDCG@10 by " + key, "NDCG@10 (%)",
                                         {"casual", "core"}, bars),
                       d + ", " + model + ", " + t + ": test NDCG@10 for each " + key + ".");
          }
        }
      }
    }
  // The online study (Figure 5), when `l2aug simulate --out <dir>/online/figure5.json` wrote its
  // result file into the folder: one figure per user group, a line per method over the list sizes.
  if (fs::exists(out / "online" / "figure5.json")) {
    const json f = read_json_file((out / "online" / "figure5.json").string());
    for (const std::string group : {"casual", "core"}) {
      std::map<std::string, report::LineSeries> by_method;
      for (const auto& row : f.at("summary")) {
        const std::string method = row.at("method").get<std::string>();
        if (method.find("pretrained") != std::string::npos) continue;  // the starting point, not a method
        report::LineSeries& line = by_method[method];
        line.name = method;
        line.x.push_back(row.at("list_size").get<double>());
        line.y.push_back(row.at(group).at("mean").get<double>());
        line.errors.push_back(row.at(group).at("std").get<double>());
      }
      std::vector<report::LineSeries> s;
      for (auto& [method, line] : by_method) s.push_back(std::move(line));
      add_figure("online_figure5_" + group + ".svg",
                 report::line_chart("Online simulation, " + group + " users", "list size K",
                                    "average simulated rating per episode", s),
                 "Online simulation on MovieLens-100K (Figure 5): " + group +
                     " users' average simulated rating per episode against the list size, mean and std over seeds.");
    }
  }
  md << "## Figures\n\n";
  for (const auto& [file, caption] : figures) md << "![" << caption << "](figures/" << file << ")\n\n" << caption << "\n\n";

  md << "## Configuration\n\n```json\n" << experiment.at("config").dump(2) << "\n```\n";
  const std::string md_text = md.str();
  nn::write_file_atomically((out / "report.md").string(), md_text);
  rj["figures"] = json::array();
  for (const auto& [file, caption] : figures) rj["figures"].push_back({{"file", "figures/" + file}, {"caption", caption}});
  write_json_file((out / "report.json").string(), rj);

  // HTML: the same content; tables converted, figures as images.
  std::ostringstream html;
  html << "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" << report::xml_escape(config.name)
       << "</title>\n<style>body{font-family:sans-serif;max-width:1200px;margin:2em auto}table{border-collapse:collapse;"
          "font-size:12px}td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}th{background:#f4f4f4}"
          "pre{background:#f8f8f8;padding:1em;overflow:auto}</style></head><body>\n";
  std::istringstream in(md_text);
  std::string line, table;
  bool code = false;
  auto flush_table = [&] {
    if (!table.empty()) html << markdown_table_to_html(table);
    table.clear();
  };
  while (std::getline(in, line)) {
    if (line.rfind("```", 0) == 0) {
      flush_table();
      html << (code ? "</pre>\n" : "<pre>");
      code = !code;
      continue;
    }
    if (code) {
      html << report::xml_escape(line) << "\n";
      continue;
    }
    if (line.rfind("|", 0) == 0) {
      table += line + "\n";
      continue;
    }
    flush_table();
    if (line.rfind("# ", 0) == 0) html << "<h1>" << report::xml_escape(line.substr(2)) << "</h1>\n";
    else if (line.rfind("## ", 0) == 0) html << "<h2>" << report::xml_escape(line.substr(3)) << "</h2>\n";
    else if (line.rfind("![", 0) == 0) {
      const auto open = line.find("](") + 2;
      html << "<p><img src=\"" << report::xml_escape(line.substr(open, line.size() - open - 1)) << "\"></p>\n";
    } else if (line.rfind("- ", 0) == 0) html << "<p>&bull; " << report::xml_escape(line.substr(2)) << "</p>\n";
    else if (!line.empty()) html << "<p>" << report::xml_escape(line) << "</p>\n";
  }
  flush_table();
  html << "</body></html>\n";
  nn::write_file_atomically((out / "report.html").string(), html.str());

  // The terminal's table: NDCG@10 and HR@10 for casual and core users.
  char buf[256];
  std::snprintf(buf, sizeof buf, "%-10s %-8s %-24s %18s %18s %18s %18s\n", "dataset", "model", "treatment",
                "casual NDCG@10", "casual HR@10", "core NDCG@10", "core HR@10");
  terminal << buf;
  for (const std::string& d : datasets)
    for (const std::string& model : config.models)
      for (const Row* r : rows_of(model)) {
        const Row* x = find_row(d, model, r->treatment, r->variant);
        if (!x) continue;
        std::snprintf(buf, sizeof buf, "%-10s %-8s %-24s %18s %18s %18s %18s\n", d.c_str(), model.c_str(),
                      (x->treatment + (x->variant.empty() ? "" : "[" + x->variant + "]")).c_str(),
                      mean_std(x->values("casual", "ndcg@10")).c_str(), mean_std(x->values("casual", "hr@10")).c_str(),
                      mean_std(x->values("core", "ndcg@10")).c_str(), mean_std(x->values("core", "hr@10")).c_str());
        terminal << buf;
      }
  ReportSummary s;
  s.markdown = (out / "report.md").string();
  s.html = (out / "report.html").string();
  s.json = (out / "report.json").string();
  s.table = terminal.str();
  s.cells = int(results.size());
  s.unfinished = unfinished;
  return s;
}

}  // namespace l2::app
