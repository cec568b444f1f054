// `l2aug data stats` and `l2aug data export`: the datasets and the paper's protocol (Section 5.1,
// Appendix A.1) from the command line. Also defines the shared data/protocol option set declared in
// l2aug/app/data_options.h, so that train, eval and treat accept exactly the same --data, --cutoff, ... options.
#include <cstdio>
#include <string>

#include "l2aug/app/cli.h"
#include "l2aug/app/commands/commands.h"
#include "l2aug/app/data_export.h"
#include "l2aug/app/data_options.h"
#include "l2aug/app/data_stats.h"
#include "l2aug/app/data_writers.h"
#include "recsys/data/cutoffs.h"
#include "recsys/data/dates.h"
#include "recsys/data/prepare.h"
#include "recsys/data/synthetic.h"
#include "recsys/data/text.h"
#include "tensor/build_info.h"

namespace l2::app::commands {

namespace {

std::string cache_note(const recsys::Prepared& p) {
  return p.cache_file.empty() ? p.cache_status : p.cache_status + " (" + p.cache_file.string() + ")";
}

int data_stats(int argc, const char* const* argv, int first) {
  Command cmd("data stats",
                   "Print the paper's Table 1 for a dataset, the split counts per group (casual/core), sequence "
                   "lengths, mean gaps, ids first seen after the cutoff and interest continuity.");
  cmd.positional("data", "a file, a folder or synthetic[:key=value,...] (or --data)", false);
  add_data_options(cmd);
  cmd.flag("json", "print one JSON object (with the build facts) instead of text")
      .flag("scan-cutoffs", "also evaluate every month start as a cutoff (the table behind --cutoff auto)");
  const Args args = cmd.parse(argc, argv, first);
  if (args.help_requested) {
    std::fputs(cmd.help().c_str(), stdout);
    return 0;
  }
  const recsys::DataConfig config = data_config_from_args(args, args.positionals().empty() ? "" : args.positional(0));
  const recsys::Prepared prepared = recsys::prepare_data(config);
  DataStats stats = compute_stats(prepared.split);
  stats.cache = cache_note(prepared);
  if (args.flag("scan-cutoffs"))
    stats.cutoff_scan = recsys::scan_cutoffs(prepared.split.dataset(), config.protocol.groups);
  if (args.flag("json"))
    std::fputs(stats_json(stats, build_facts_json()).c_str(), stdout);
  else
    std::fputs(stats_text(stats).c_str(), stdout);
  return 0;
}

int data_export(int argc, const char* const* argv, int first) {
  Command cmd("data export",
                   "Write the processed split as plain text (train/validation/test/meta sequences with dense ids, "
                   "the raw-id maps and the group labels) so that other tools use exactly the same split; or, with "
                   "--as, write the interactions themselves in a loader format (e.g. the synthetic platform as "
                   "Goodreads JSON).");
  cmd.positional("data", "a file, a folder or synthetic[:key=value,...] (or --data)", false);
  add_data_options(cmd);
  cmd.option("out", "DIR", "the folder to write (created if needed)")
      .option("as", "FORMAT", "write the interactions in this loader format instead: " + recsys::format_list())
      .flag("gzip", "with --as: gzip-compress the files");
  const Args args = cmd.parse(argc, argv, first);
  if (args.help_requested) {
    std::fputs(cmd.help().c_str(), stdout);
    return 0;
  }
  const std::string out = args.get_or("out", "");
  if (out.empty()) throw UsageError("data export: option --out is required");
  const recsys::DataConfig config = data_config_from_args(args, args.positionals().empty() ? "" : args.positional(0));
  if (const std::string as = args.get_or("as", ""); !as.empty()) {
    const auto format = recsys::format_from_name(as);
    if (!format) throw UsageError("--as: unknown format '" + as + "' (known: " + recsys::format_list() + ")");
    const auto data = recsys::load_dataset(config.load, config.dataset);
    for (const auto& f : write_interactions(*data, *format, out, args.flag("gzip")))
      std::printf("wrote %s\n", f.c_str());
    std::printf("%lld interactions of %d users and %d items in format %s\n",
                static_cast<long long>(data->num_interactions()), data->num_users(), data->num_items(), as.c_str());
    return 0;
  }
  if (args.flag("gzip")) throw UsageError("--gzip: only with --as (the split files are always plain text)");
  const recsys::Prepared prepared = recsys::prepare_data(config);
  DataStats stats = compute_stats(prepared.split);
  stats.cache = cache_note(prepared);
  export_split(prepared.split, out, stats_json(stats, build_facts_json()));
  const recsys::Split& s = prepared.split;
  std::printf("wrote %s/{train.txt,validation.txt,test.txt,meta.txt,users.tsv,items.tsv,split.json}\n", out.c_str());
  std::printf("%d users (%zu casual, %zu core), %d items; validation %zu, test %zu, meta %zu users\n", s.num_users(),
              s.casual_users().size(), s.core_users().size(), s.num_items(), s.validation_users().size(),
              s.test_users().size(), s.meta_users().size());
  return 0;
}

void print_data_usage() {
  std::printf(
      "usage: l2aug data <subcommand> [options]\n\n"
      "Datasets and the paper's experimental protocol (casual/core users, temporal split, meta-validation).\n\n"
      "subcommands:\n"
      "  stats    Table 1, split counts per group, length and gap distributions, interest continuity\n"
      "  export   the processed split as plain text, or the interactions in a loader format (--as)\n\n"
      "'l2aug data <subcommand> --help' lists the options.\n");
}

}  // namespace

int data(int argc, const char* const* argv, int first) {
  if (first >= argc) {
    print_data_usage();
    return 2;
  }
  const std::string sub = argv[first];
  if (sub == "--help" || sub == "-h") {
    print_data_usage();
    return 0;
  }
  if (sub == "stats") return data_stats(argc, argv, first + 1);
  if (sub == "export") return data_export(argc, argv, first + 1);
  throw UsageError("data: unknown subcommand '" + sub + "' (stats, export; see 'l2aug data --help')");
}

}  // namespace l2::app::commands
