// `l2aug experiment`: runs a grid of cells (dataset x model x treatment x hyperparameter point x
// seed, l2aug/app/experiment_config.h), resumably, then writes the report (l2aug report).
#include <cstdio>
#include <filesystem>

#include "l2aug/app/cli.h"
#include "l2aug/app/commands/commands.h"
#include "l2aug/app/experiment.h"
#include "l2aug/app/mpi_runner.h"
#include "l2aug/app/report/report.h"
#include "recsys/train/stop_signal.h"

namespace l2::app::commands {

int experiment(int argc, const char* const* argv, int first) {
  Command cmd("experiment",
                   "Run an experiment grid (the paper's Table 2 and figures are such grids): every cell writes its "
                   "own results; re-running skips finished cells and resumes an interrupted one. Ends with the report.");
  cmd.option("config", "FILE", "the experiment (JSON; see configs/ for ready-made ones)")
      .option("out", "DIR", "the experiment's folder")
      .flag("dry-run", "print the cells, their count and an estimated total time, then stop")
      .flag("no-measure", "with --dry-run: skip the throughput measurement behind the time estimate")
      .option("shard", "I/N", "run only shard I of N (0 <= I < N): a fixed subset of the cells, for job arrays")
      .option("only", "TEXT", "run only the cells whose id contains TEXT (e.g. 'sasrec/l2aug/'), then stop without a report")
      .flag("no-report", "do not write the report at the end");
  const Args args = cmd.parse(argc, argv, first);
  if (args.help_requested) {
    std::fputs(cmd.help().c_str(), stdout);
    return 0;
  }
  int shard = 0, shards = 1;
  if (args.has("shard")) {
    const std::string s = args.get("shard");
    const auto slash = s.find('/');
    if (slash == std::string::npos) throw UsageError("--shard: expected I/N, got '" + s + "'");
    shard = int(parse_int(s.substr(0, slash), "--shard"));
    shards = int(parse_int(s.substr(slash + 1), "--shard"));
    if (shards < 1 || shard < 0 || shard >= shards) throw UsageError("--shard: expected 0 <= I < N, got '" + s + "'");
  }
  const std::string only = args.has("only") ? args.get("only") : "";
  if (args.has("only") && only.empty()) throw UsageError("--only: give part of a cell id, e.g. 'sasrec/l2aug/'");
  ExperimentConfig config = ExperimentConfig::load(args.get("config"));
  Experiment e(std::move(config), args.get("out"));
  if (args.flag("dry-run")) {
    std::fputs(e.dry_run_report(!args.flag("no-measure")).c_str(), stdout);
    return 0;
  }
  recsys::install_stop_handlers();
  bool complete;
  if (mpi_world_size() > 1) {
    if (args.has("shard") || args.has("only")) throw UsageError("--shard and --only are not for MPI runs, which hand out every cell");
    complete = run_with_mpi(e);
    if (mpi_rank() != 0) return complete ? 0 : 1;
  } else {
    complete = e.run_shard(shard, shards, only);
  }
  if (recsys::stop_requested()) {
    std::fprintf(stderr, "experiment: stopped; run the same command again to continue\n");
    return 130;
  }
  if (!complete) return shards > 1 ? 0 : 1;
  if (!only.empty()) {
    std::printf("the cells matching '%s' are complete; 'l2aug report %s' reports the whole experiment\n", only.c_str(),
                args.get("out").c_str());
    return 0;
  }
  if (shards > 1) {
    std::printf("shard %d/%d complete; merge with 'l2aug report %s'\n", shard, shards, args.get("out").c_str());
    return 0;
  }
  if (!args.flag("no-report")) {
    const ReportSummary r = write_report({args.get("out")});
    std::fputs(r.table.c_str(), stdout);
    std::printf("report: %s\n", r.markdown.c_str());
  }
  return 0;
}

}  // namespace l2::app::commands
