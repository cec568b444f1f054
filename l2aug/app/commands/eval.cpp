// `l2aug eval`: full-ranking metrics (Section 5.1) of a trained model, or of the popularity
// baseline, per user group on validation and test; prints the tables and writes JSON.
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "l2aug/app/commands/commands.h"
#include "l2aug/app/data_options.h"
#include "l2aug/app/model_options.h"
#include "l2aug/app/results.h"
#include "recsys/eval/popularity.h"
#include "recsys/models/model_file.h"

namespace l2::app::commands {

namespace {
std::vector<int> parse_ks(const std::string& text) {
  std::vector<int> ks;
  std::stringstream in(text);
  std::string part;
  while (std::getline(in, part, ',')) {
    const auto k = parse_int(part, "--ks");
    if (k < 1 || k > 100000) throw UsageError("--ks: cut-offs must be positive, got " + part);
    ks.push_back(int(k));
  }
  if (ks.empty()) throw UsageError("--ks: no cut-off given");
  return ks;
}
}  // namespace

int eval(int argc, const char* const* argv, int first) {
  Command cmd("eval", "Evaluate a trained model (or the popularity baseline) with full ranking over all items: "
                           "HR@K and NDCG@K for casual, core and all users on validation and test.");
  cmd.option("checkpoint", "FILE", "a model file written by train (best.ckpt)")
      .option("baseline", "popularity", "evaluate a baseline instead of a model")
      .option("ks", "K,K,...", "the cut-offs", "5,10")
      .flag("exclude-history", "items the user already interacted with are not candidates")
      .flag("sampled", "rank the target among 100 sampled unseen items instead of all items (not the paper's protocol)")
      .option("out", "FILE", "where the JSON goes (default: eval.json beside the checkpoint, or ./eval.json)");
  add_data_options(cmd);
  const Args args = cmd.parse(argc, argv, first);
  if (args.help_requested) {
    std::fputs(cmd.help().c_str(), stdout);
    return 0;
  }
  const bool model_given = args.has("checkpoint"), baseline_given = args.has("baseline");
  if (model_given == baseline_given) throw UsageError("eval: give either --checkpoint FILE or --baseline popularity");
  if (baseline_given && args.get("baseline") != "popularity")
    throw UsageError("--baseline: unknown baseline '" + args.get("baseline") + "' (known: popularity)");
  recsys::EvalOptions options;
  options.ks = parse_ks(args.get("ks"));
  options.exclude_history = args.flag("exclude-history");
  options.sampled = args.flag("sampled");
  const recsys::DataConfig data_config = data_config_from_args(args);

  recsys::LoadedModel loaded;
  if (model_given) loaded = recsys::load_model(args.get("checkpoint"));  // fail on a bad file before loading data
  const recsys::Prepared prepared = recsys::prepare_data(data_config);
  const recsys::Split& split = prepared.split;

  nlohmann::json result;
  std::string name;
  recsys::ScoreFn score;
  if (model_given) {
    recsys::check_same_data(loaded, split);
    loaded.model->eval();
    options.maxlen = loaded.model->config().maxlen;
    const recsys::SequentialRecommender& m = *loaded.model;
    score = [&m](const recsys::EvalBatch& b) { return m.score_all_last(b.items, b.positions); };
    name = recsys::model_kind_name(loaded.model->config().kind);
    result = run_description({{"model", loaded.model->config().to_json()}, {"checkpoint", args.get("checkpoint")}}, split,
                             data_config);
  } else {
    score = recsys::popularity_scorer(split);
    name = "popularity";
    result = run_description({{"baseline", "popularity"}}, split, data_config);
  }
  for (recsys::EvalSet set : {recsys::EvalSet::validation, recsys::EvalSet::test}) {
    const recsys::EvalResult r = recsys::evaluate(score, split, set, options);
    result[recsys::eval_set_name(set)] = r.to_json();
    std::fputs(recsys::format_table(r.metrics, name + ", " + r.set + " (" + r.protocol + ")").c_str(), stdout);
  }
  std::string out = args.get_or("out", "");
  if (out.empty())
    out = model_given ? (std::filesystem::path(args.get("checkpoint")).parent_path() / "eval.json").string() : "eval.json";
  write_json_file(out, result);
  std::printf("wrote %s\n", out.c_str());
  return 0;
}

}  // namespace l2::app::commands
