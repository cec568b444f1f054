// `l2aug train`: trains one recommender on one dataset (Section 5.1) and writes, under --out,
//   best.ckpt        the best model (by the validation criterion), usable by eval and recommend
//   last.ckpt        the resumable training state (--resume continues from it exactly)
//   train_log.csv    validation metrics per evaluation
//   config.json      the resolved configuration, the data protocol and the build facts
//   metrics.json     validation and test metrics per user group of the best model
#include <cstdio>
#include <filesystem>

#include "l2aug/app/commands/commands.h"
#include "l2aug/app/data_options.h"
#include "l2aug/app/model_options.h"
#include "l2aug/app/results.h"
#include "nn/checkpoint.h"
#include "recsys/models/model_file.h"
#include "recsys/train/stop_signal.h"
#include "recsys/train/trainer.h"

namespace l2::app::commands {

int train(int argc, const char* const* argv, int first) {
  Command cmd("train", "Train a sequential recommender (SASRec, GRU4Rec or NextItNet) with early stopping on "
                            "validation, and report full-ranking metrics for casual and core users.");
  add_model_options(cmd);
  add_data_options(cmd);
  cmd.option("out", "DIR", "output folder (checkpoints, log, configuration, metrics)")
      .flag("resume", "continue from DIR/last.ckpt")
      .flag("overwrite", "start afresh even if DIR holds a checkpoint")
      .notes(model_settings_help());
  const Args args = cmd.parse(argc, argv, first);
  if (args.help_requested) {
    std::fputs(cmd.help().c_str(), stdout);
    return 0;
  }
  const std::filesystem::path out = args.get("out");
  const recsys::DataConfig data_config = data_config_from_args(args);
  const std::filesystem::path last = out / "last.ckpt";
  if (std::filesystem::exists(last) && !args.flag("resume") && !args.flag("overwrite"))
    throw UsageError(out.string() + " holds a training checkpoint: pass --resume to continue it or --overwrite "
                                         "to start again");
  if (args.flag("resume") && !std::filesystem::exists(last))
    throw UsageError("--resume: no checkpoint at " + last.string());

  const recsys::Prepared prepared = recsys::prepare_data(data_config);
  const recsys::Split& split = prepared.split;
  const ModelAndTraining cfg = model_config_from_args(args, split.num_items());
  auto model = recsys::make_model(cfg.model);
  std::fprintf(stderr, "train: %s on %s (%d users, %d items; %s), %lld parameters\n",
               recsys::model_kind_name(cfg.model.kind), split.dataset().name().c_str(), split.num_users(),
               split.num_items(), prepared.cache_status.c_str(), (long long)model->parameter_count());

  recsys::Trainer trainer(*model, split, cfg.train);
  trainer.set_checkpoint_dir(out);
  std::filesystem::create_directories(out);
  write_json_file((out / "config.json").string(), run_description(cfg.to_json(), split, data_config));
  if (args.flag("resume")) trainer.resume(last);
  recsys::install_stop_handlers();
  const recsys::TrainStatus status = trainer.run();
  nn::write_file_atomically((out / "train_log.csv").string(), trainer.training_log_csv());
  if (status == recsys::TrainStatus::interrupted) {
    std::fprintf(stderr, "train: stopped; resume with the same command and --resume\n");
    return 130;
  }
  if (trainer.best_epoch() < 0) recsys::save_model((out / "best.ckpt").string(), *model, split);  // no validation ran

  nlohmann::json result = run_description(cfg.to_json(), split, data_config);
  result["status"] = recsys::train_status_name(status);
  result["steps"] = trainer.steps();
  result["best_epoch"] = trainer.best_epoch();
  const recsys::EvalResult valid = evaluate_model(*model, split, recsys::EvalSet::validation, cfg.train.eval);
  const recsys::EvalResult test = evaluate_model(*model, split, recsys::EvalSet::test, cfg.train.eval);
  result["validation"] = valid.to_json();
  result["test"] = test.to_json();
  write_json_file((out / "metrics.json").string(), result);
  std::fputs(recsys::format_table(valid.metrics, "validation (" + valid.protocol + ")").c_str(), stdout);
  std::fputs(recsys::format_table(test.metrics, "test (" + test.protocol + ")").c_str(), stdout);
  std::printf("wrote %s\n", (out / "metrics.json").c_str());
  return 0;
}

}  // namespace l2::app::commands
