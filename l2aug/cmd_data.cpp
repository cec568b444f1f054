// `l2aug data stats` and `l2aug data export`: the datasets and the paper's protocol (Section 5.1,
// Appendix A.1) from the command line. Also defines the shared data/protocol option set declared in
// l2aug/data_options.h, so that train, eval and treat accept exactly the same --data, --cutoff, ... options.
#include <cstdio>
#include <string>

#include "l2aug/cli.h"
#include "l2aug/commands.h"
#include "l2aug/data_options.h"
#include "recsys/data/cutoffs.h"
#include "recsys/data/dates.h"
#include "recsys/data/export.h"
#include "recsys/data/prepare.h"
#include "recsys/data/stats.h"
#include "recsys/data/synthetic.h"
#include "recsys/data/text.h"
#include "recsys/data/writers.h"
#include "tensor/build_info.h"

namespace l2::commands {

void add_data_options(cli::Command& cmd) {
  cmd.option("data", "PATH|synthetic[:key=value,...]",
             "interaction data: a file, a folder holding one dataset, or the built-in synthetic platform "
             "(keys: users, items, topics, core_fraction, seed, core_continuity, casual_continuity, "
             "core_gap_days, casual_gap_days)")
      .option("format", "NAME", "read the file in this format instead of detecting it: " + recsys::format_list())
      .option("columns", "user=A,item=B,time=C",
              "delimited/recbole: the user, item and time columns (default: guessed from the header)")
      .option("delimiter", "SEP", "delimited: the field separator, 'tab' for a tab (default: guessed from the header)")
      .option("time-field", "NAME", "goodreads: the date field used as the interaction time", "date_added")
      .flag("skip-malformed", "skip malformed lines (they are counted and reported) instead of stopping at the first")
      .option("duplicates", "keep|drop-repeats",
              "repeated (user, item) pairs: keep every interaction, or keep only the first in time order", "keep")
      .option("kcore", "K", "drop users and items with fewer than K interactions, repeatedly (0 = off)", "0")
      .option("split", "temporal|loo", "temporal cutoff split (Appendix A.1) or leave-one-out", "temporal")
      .option("cutoff", "default|auto|YYYY-MM-DD|UNIX",
              "the cutoff T of the temporal split: the dataset's default (datasets/README.md), the automatic "
              "rule, a UTC date or unix seconds",
              "default")
      .option("group", "mean-gap|frequency",
              "casual/core rule: mean gap between interactions under --gap-days is core; or the top "
              "--core-fraction of users by distinct visit days",
              "mean-gap")
      .option("gap-days", "DAYS", "mean-gap rule: the threshold in days", "30")
      .option("group-scope", "all|train",
              "history the group rule reads: the whole history (the paper) or the training part only", "all")
      .option("core-fraction", "F", "frequency rule: the fraction of users that is core", "0.3")
      .option("meta-fraction", "F", "the share of eligible casual users drawn into the meta-validation set", "0.1")
      .option("meta-seed", "N", "the seed of the meta-validation draw", "1")
      .option("cache-dir", "DIR",
              "where processed datasets are cached (default: $XDG_CACHE_HOME/l2aug or ~/.cache/l2aug)")
      .flag("no-cache", "neither read nor write the processed-dataset cache");
}

recsys::DataConfig data_config_from_args(const cli::Args& args, const std::string& positional_data) {
  recsys::DataConfig c;
  const std::string given = args.get_or("data", "");
  if (!given.empty() && !positional_data.empty())
    throw cli::UsageError("the data is given twice: as an argument and as --data");
  c.load.data = !positional_data.empty() ? positional_data : given;
  if (c.load.data.empty()) throw cli::UsageError("no data: give a path or synthetic[:...] (--data)");
  if (recsys::is_synthetic_spec(c.load.data)) {
    try {
      recsys::parse_synthetic_spec(c.load.data);
    } catch (const Error& e) {
      throw cli::UsageError(std::string("--data: ") + e.what());
    }
  }

  if (const std::string f = args.get_or("format", ""); !f.empty()) {
    c.load.format = recsys::format_from_name(f);
    if (!c.load.format)
      throw cli::UsageError("--format: unknown format '" + f + "' (known: " + recsys::format_list() + ")");
  }
  c.load.columns = args.get_or("columns", "");
  c.load.delimiter = args.get_or("delimiter", "");
  c.load.time_field = args.get("time-field");
  c.load.skip_malformed = args.flag("skip-malformed");

  const std::string dup = args.get("duplicates");
  if (dup == "keep")
    c.dataset.duplicates = recsys::DuplicatePolicy::keep;
  else if (dup == "drop-repeats")
    c.dataset.duplicates = recsys::DuplicatePolicy::drop_repeats;
  else
    throw cli::UsageError("--duplicates: expected keep or drop-repeats, got '" + dup + "'");
  const auto k = args.get_int("kcore");
  if (k < 0 || k > 1000000) throw cli::UsageError("--kcore: expected 0 or a positive count, got " + args.get("kcore"));
  c.dataset.kcore = int(k);

  const std::string split = args.get("split");
  if (split == "temporal")
    c.protocol.split = recsys::SplitKind::temporal;
  else if (split == "loo")
    c.protocol.split = recsys::SplitKind::leave_one_out;
  else
    throw cli::UsageError("--split: expected temporal or loo, got '" + split + "'");

  const std::string cutoff = args.get("cutoff");
  std::int64_t t = 0;
  if (cutoff == "default")
    c.protocol.cutoff.kind = recsys::CutoffChoice::Kind::table_default;
  else if (cutoff == "auto")
    c.protocol.cutoff.kind = recsys::CutoffChoice::Kind::automatic;
  else if (recsys::parse_iso_datetime(cutoff, t) || recsys::parse_int64(cutoff, t))
    c.protocol.cutoff = {recsys::CutoffChoice::Kind::fixed, t};
  else
    throw cli::UsageError("--cutoff: expected default, auto, a date YYYY-MM-DD or unix seconds, got '" + cutoff + "'");

  const std::string group = args.get("group");
  if (group == "mean-gap")
    c.protocol.groups.rule = recsys::GroupRule::mean_gap;
  else if (group == "frequency")
    c.protocol.groups.rule = recsys::GroupRule::top_frequency;
  else
    throw cli::UsageError("--group: expected mean-gap or frequency, got '" + group + "'");
  const std::string scope = args.get("group-scope");
  if (scope == "all")
    c.protocol.groups.scope = recsys::GroupScope::whole_history;
  else if (scope == "train")
    c.protocol.groups.scope = recsys::GroupScope::training;
  else
    throw cli::UsageError("--group-scope: expected all or train, got '" + scope + "'");
  c.protocol.groups.gap_days = args.get_double("gap-days");
  if (!(c.protocol.groups.gap_days > 0.0)) throw cli::UsageError("--gap-days: expected a positive number of days");
  c.protocol.groups.core_fraction = args.get_double("core-fraction");
  if (c.protocol.groups.core_fraction < 0.0 || c.protocol.groups.core_fraction > 1.0)
    throw cli::UsageError("--core-fraction: expected a fraction in [0, 1], got " + args.get("core-fraction"));
  c.protocol.meta_fraction = args.get_double("meta-fraction");
  if (c.protocol.meta_fraction < 0.0 || c.protocol.meta_fraction > 1.0)
    throw cli::UsageError("--meta-fraction: expected a fraction in [0, 1], got " + args.get("meta-fraction"));
  const auto seed = args.get_int("meta-seed");
  if (seed < 0) throw cli::UsageError("--meta-seed: expected a non-negative integer");
  c.protocol.seed = std::uint64_t(seed);

  c.cache.dir = args.get_or("cache-dir", "");
  c.cache.enabled = !args.flag("no-cache");
  return c;
}

namespace {

std::string cache_note(const recsys::Prepared& p) {
  return p.cache_file.empty() ? p.cache_status : p.cache_status + " (" + p.cache_file.string() + ")";
}

int data_stats(int argc, const char* const* argv, int first) {
  cli::Command cmd("data stats",
                   "Print the paper's Table 1 for a dataset, the split counts per group (casual/core), sequence "
                   "lengths, mean gaps, ids first seen after the cutoff and interest continuity.");
  cmd.positional("data", "a file, a folder or synthetic[:key=value,...] (or --data)", false);
  add_data_options(cmd);
  cmd.flag("json", "print one JSON object (with the build facts) instead of text")
      .flag("scan-cutoffs", "also evaluate every month start as a cutoff (the table behind --cutoff auto)");
  const cli::Args args = cmd.parse(argc, argv, first);
  if (args.help_requested) {
    std::fputs(cmd.help().c_str(), stdout);
    return 0;
  }
  const recsys::DataConfig config = data_config_from_args(args, args.positionals().empty() ? "" : args.positional(0));
  const recsys::Prepared prepared = recsys::prepare_data(config);
  recsys::DataStats stats = recsys::compute_stats(prepared.split);
  stats.cache = cache_note(prepared);
  if (args.flag("scan-cutoffs"))
    stats.cutoff_scan = recsys::scan_cutoffs(prepared.split.dataset(), config.protocol.groups);
  if (args.flag("json"))
    std::fputs(recsys::stats_json(stats, build_facts_json()).c_str(), stdout);
  else
    std::fputs(recsys::stats_text(stats).c_str(), stdout);
  return 0;
}

int data_export(int argc, const char* const* argv, int first) {
  cli::Command cmd("data export",
                   "Write the processed split as plain text (train/validation/test/meta sequences with dense ids, "
                   "the raw-id maps and the group labels) so that other tools use exactly the same split; or, with "
                   "--as, write the interactions themselves in a loader format (e.g. the synthetic platform as "
                   "Goodreads JSON).");
  cmd.positional("data", "a file, a folder or synthetic[:key=value,...] (or --data)", false);
  add_data_options(cmd);
  cmd.option("out", "DIR", "the folder to write (created if needed)")
      .option("as", "FORMAT", "write the interactions in this loader format instead: " + recsys::format_list())
      .flag("gzip", "with --as: gzip-compress the files");
  const cli::Args args = cmd.parse(argc, argv, first);
  if (args.help_requested) {
    std::fputs(cmd.help().c_str(), stdout);
    return 0;
  }
  const std::string out = args.get_or("out", "");
  if (out.empty()) throw cli::UsageError("data export: option --out is required");
  const recsys::DataConfig config = data_config_from_args(args, args.positionals().empty() ? "" : args.positional(0));
  if (const std::string as = args.get_or("as", ""); !as.empty()) {
    const auto format = recsys::format_from_name(as);
    if (!format) throw cli::UsageError("--as: unknown format '" + as + "' (known: " + recsys::format_list() + ")");
    const auto data = recsys::load_dataset(config.load, config.dataset);
    for (const auto& f : recsys::write_interactions(*data, *format, out, args.flag("gzip")))
      std::printf("wrote %s\n", f.c_str());
    std::printf("%lld interactions of %d users and %d items in format %s\n",
                static_cast<long long>(data->num_interactions()), data->num_users(), data->num_items(), as.c_str());
    return 0;
  }
  if (args.flag("gzip")) throw cli::UsageError("--gzip: only with --as (the split files are always plain text)");
  const recsys::Prepared prepared = recsys::prepare_data(config);
  recsys::DataStats stats = recsys::compute_stats(prepared.split);
  stats.cache = cache_note(prepared);
  recsys::export_split(prepared.split, out, recsys::stats_json(stats, build_facts_json()));
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
  throw cli::UsageError("data: unknown subcommand '" + sub + "' (stats, export; see 'l2aug data --help')");
}

}  // namespace l2::commands
