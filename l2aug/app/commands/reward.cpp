// `l2aug reward`: the reward diagnostic (l2aug/app/reward_diagnostic.h) and the objective tracking
// (l2aug/app/objective_tracking.h). Trains the untreated recommender in DIR/pretrain (resuming
// it when it is there, so several estimators are measured from one recommender and its Adam state,
// as Algorithm 1 starts from them), then for each --estimator measures the rewards of
// --batches batches x treatment.samples samples of actions from the freshly initialised policy.
#include <cstdio>
#include <filesystem>

#include "l2aug/app/cli.h"
#include "l2aug/app/commands/commands.h"
#include "l2aug/app/data_options.h"
#include "l2aug/app/model_options.h"
#include "l2aug/app/objective_tracking.h"
#include "l2aug/app/results.h"
#include "l2aug/app/reward_diagnostic.h"
#include "l2aug/app/treatment_run.h"
#include "nn/checkpoint.h"
#include "recsys/train/stop_signal.h"
#include "recsys/train/trainer.h"

namespace l2::app::commands {

namespace {
// "LABEL" or "LABEL:key=value,key=value" (L2Aug settings).
std::pair<std::string, std::vector<std::pair<std::string, std::string>>> parse_estimator(const std::string& text) {
  const size_t colon = text.find(':');
  const std::string label = text.substr(0, colon);
  if (label.empty()) throw UsageError("--estimator '" + text + "': the label before ':' is empty");
  std::vector<std::pair<std::string, std::string>> settings;
  if (colon == std::string::npos) return {label, settings};
  std::string rest = text.substr(colon + 1);
  size_t begin = 0;
  while (begin <= rest.size()) {
    const size_t end = std::min(rest.find(',', begin), rest.size());
    const std::string kv = rest.substr(begin, end - begin);
    const size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0)
      throw UsageError("--estimator '" + text + "': '" + kv + "' is not key=value (an L2Aug setting)");
    settings.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
    begin = end + 1;
  }
  return {label, settings};
}
}  // namespace

int reward(int argc, const char* const* argv, int first) {
  Command cmd("reward",
              "Measure L2Aug's reward: from the untreated recommender (trained in DIR/pretrain, or resumed from "
              "there), split the reward's variance into the part due to the policy's sampled actions and the part "
              "due to the batch, its negatives and dropout; report the signal-to-noise ratio and the quantisation "
              "step, for each --estimator. With --track-epochs, instead train a recommender from scratch and "
              "measure every meta objective and casual users' validation HR@10 and NDCG@10 after each epoch.");
  add_model_options(cmd);
  add_data_options(cmd);
  cmd.option("out", "DIR", "output folder (DIR/pretrain holds the untreated recommender; DIR/reward.json the figures)")
      .option("batches", "N", "batches drawn per estimator", "16")
      .option("samples", "S", "samples of actions per batch (overrides treatment.samples)", "8")
      .repeated("estimator", "LABEL[:KEY=VALUE,...]",
                "an estimator to measure: L2Aug settings over the --set treatment.* ones (default: those alone)")
      .option("track-epochs", "E", "track the meta objectives over E epochs of training from scratch instead")
      .notes(model_settings_help() + treatment_settings_help());
  const Args args = cmd.parse(argc, argv, first);
  if (args.help_requested) {
    std::fputs(cmd.help().c_str(), stdout);
    return 0;
  }
  const std::filesystem::path out = args.get("out");
  const std::int64_t batches = args.get_int("batches"), samples = args.get_int("samples");
  if (batches < 2) throw UsageError("--batches must be at least 2, got " + args.get("batches"));
  if (samples < 2) throw UsageError("--samples must be at least 2, got " + args.get("samples"));
  const std::int64_t track_epochs = args.has("track-epochs") ? args.get_int("track-epochs") : 0;
  if (args.has("track-epochs") && track_epochs < 3)
    throw UsageError("--track-epochs must be at least 3, got " + args.get("track-epochs"));
  std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>> estimators;
  for (const std::string& e : args.all("estimator")) estimators.push_back(parse_estimator(e));
  if (estimators.empty()) estimators.push_back({"configured", {}});

  const recsys::DataConfig data_config = data_config_from_args(args);
  const recsys::Prepared prepared = recsys::prepare_data(data_config);
  ModelAndTraining cfg = model_config_from_args(args, prepared.split.num_items());
  select_on_casual_users(args, cfg);
  TreatmentSpec base;
  std::vector<method::L2AugConfig> configs;
  try {
    base = TreatmentSpec::parse(TreatmentKind::l2aug, cfg.treatment);
    for (const auto& [label, settings] : estimators) {
      method::L2AugConfig c = base.l2aug;
      c.set("samples", std::to_string(samples));
      for (const auto& [k, v] : settings) c.set(k, v);
      configs.push_back(c);
    }
  } catch (const Error& e) {
    throw UsageError(std::string("--set treatment.* / --estimator: ") + e.what());
  }
  std::filesystem::create_directories(out);
  recsys::install_stop_handlers();
  auto model = recsys::make_model(cfg.model);

  if (track_epochs > 0) {
    const ObjectiveTrack track = track_objectives(*model, prepared.split, cfg.train, track_epochs);
    nlohmann::json j = run_description(cfg.to_json(), prepared.split, data_config);
    j.update(track.to_json());
    write_json_file((out / "objectives.json").string(), j);
    std::printf("%-10s %10s %10s %10s\n", "objective", "r(ndcg@10)", "r(hr@10)", "r(changes)");
    for (const auto& [name, c] : j.at("correlations").items())
      std::printf("%-10s %10.3f %10.3f %10.3f\n", name.c_str(), c.at("ndcg@10").get<double>(), c.at("hr@10").get<double>(),
                  c.at("ndcg@10_changes").get<double>());
    std::printf("wrote %s\n", (out / "objectives.json").c_str());
    return 0;
  }

  recsys::Trainer pre(*model, prepared.split, cfg.train);
  pre.set_checkpoint_dir(out / "pretrain");
  if (std::filesystem::exists(out / "pretrain" / "last.ckpt")) pre.resume(out / "pretrain" / "last.ckpt");
  if (pre.run() == recsys::TrainStatus::interrupted) {
    std::fprintf(stderr, "reward: stopped while pretraining; run the same command again to continue\n");
    return 130;
  }
  nlohmann::json results = nlohmann::json::array();
  std::printf("%-16s %6s %11s %11s %11s %11s %8s %10s %6s %7s %9s\n", "estimator", "meta", "mean", "std", "var_actions",
              "var_other", "snr", "quantum", "ties", "r(edit)", "r(credit)");
  for (size_t e = 0; e < configs.size(); ++e) {
    const RewardDiagnostic d =
        diagnose_rewards(*model, pre.optimizer(), prepared.split, cfg.train, configs[e], batches, estimators[e].first);
    results.push_back(d.to_json());
    std::printf("%-16s %6lld %11.3e %11.3e %11.3e %11.3e %8.3f %10.3e %6.3f %7.3f %9s\n", d.label.c_str(),
                (long long)d.meta_users, d.mean, d.std, d.var_actions, d.var_other, d.snr, d.quantum, d.ties,
                d.edit_correlation, d.predicted.empty() ? "-" : std::to_string(d.credit_correlation).substr(0, 6).c_str());
    std::fflush(stdout);
    if (recsys::stop_requested()) break;
  }
  nlohmann::json j = run_description(cfg.to_json(), prepared.split, data_config);
  j["batches"] = batches;
  j["estimators"] = results;
  write_json_file((out / "reward.json").string(), j);
  std::printf("wrote %s\n", (out / "reward.json").c_str());
  return 0;
}

}  // namespace l2::app::commands
