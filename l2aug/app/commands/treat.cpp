// `l2aug treat`: one treatment (none, random, focused, adversarial, l2aug) on one model and
// dataset; writes metrics per user group on validation and test in the JSON form of `l2aug eval`.
#include <cstdio>
#include <filesystem>

#include "l2aug/app/cli.h"
#include "l2aug/app/commands/commands.h"
#include "l2aug/app/data_options.h"
#include "l2aug/app/treatment_run.h"
#include "recsys/train/stop_signal.h"

namespace l2::app::commands {

int treat(int argc, const char* const* argv, int first) {
  Command cmd("treat",
                   "Train a recommender under one treatment for casual users: none (the untreated model), random "
                   "(random drops of core sequences), focused (Focused Learning), adversarial (Adversarial "
                   "Reweighting) or l2aug (Algorithm 1). Every treatment stops on casual users' validation NDCG@10.");
  cmd.option("treatment", "none|random|focused|adversarial|l2aug", "the treatment", "none");
  add_model_options(cmd);
  add_data_options(cmd);
  cmd.option("out", "DIR", "output folder")
      .option("pretrained", "FILE", "l2aug: start from this model file instead of training the untreated model first")
      .flag("resume", "continue from the checkpoints in DIR")
      .flag("overwrite", "start afresh even if DIR holds checkpoints")
      .notes(model_settings_help() + treatment_settings_help());
  const Args args = cmd.parse(argc, argv, first);
  if (args.help_requested) {
    std::fputs(cmd.help().c_str(), stdout);
    return 0;
  }
  const std::filesystem::path out = args.get("out");
  TreatmentKind kind;
  try {
    kind = parse_treatment(args.get("treatment"));
  } catch (const Error& e) {
    throw UsageError(std::string("--treatment: ") + e.what());
  }
  const bool has_state = std::filesystem::exists(out / "last.ckpt") || std::filesystem::exists(out / "l2aug_last.ckpt") ||
                         std::filesystem::exists(out / "pretrain" / "last.ckpt");
  if (has_state && !args.flag("resume") && !args.flag("overwrite"))
    throw UsageError(out.string() + " holds checkpoints: pass --resume to continue or --overwrite to start again");
  if (args.flag("overwrite") && has_state) {
    for (const char* f : {"last.ckpt", "l2aug_last.ckpt", "best.ckpt", "metrics.json"}) std::filesystem::remove(out / f);
    std::filesystem::remove_all(out / "pretrain");
  }
  if (args.has("pretrained") && kind != TreatmentKind::l2aug)
    throw UsageError("--pretrained applies to --treatment l2aug only");

  const recsys::DataConfig data_config = data_config_from_args(args);
  const recsys::Prepared prepared = recsys::prepare_data(data_config);
  ModelAndTraining cfg = model_config_from_args(args, prepared.split.num_items());
  select_on_casual_users(args, cfg);
  TreatmentSpec spec;
  try {
    spec = TreatmentSpec::parse(kind, cfg.treatment);
    if (kind == TreatmentKind::l2aug) spec.l2aug.check_combination();
  } catch (const Error& e) {
    throw UsageError(std::string("--set treatment.*: ") + e.what());
  }
  std::fprintf(stderr, "treat: %s with %s on %s\n", treatment_name(kind), recsys::model_kind_name(cfg.model.kind),
               prepared.split.dataset().name().c_str());
  recsys::install_stop_handlers();
  const TreatmentOutcome o =
      run_treatment(spec, cfg, prepared.split, data_config, out, args.flag("resume"), args.get_or("pretrained", ""));
  if (o.status == recsys::TrainStatus::interrupted) {
    std::fprintf(stderr, "treat: stopped; resume with the same command and --resume\n");
    return 130;
  }
  const std::string name = std::string(recsys::model_kind_name(cfg.model.kind)) + " + " + treatment_name(kind);
  std::fputs(recsys::format_table(o.validation.metrics, name + ", validation (" + o.validation.protocol + ")").c_str(), stdout);
  std::fputs(recsys::format_table(o.test.metrics, name + ", test (" + o.test.protocol + ")").c_str(), stdout);
  std::printf("wrote %s\n", (out / "metrics.json").c_str());
  return 0;
}

}  // namespace l2::app::commands
