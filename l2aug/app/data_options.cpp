// The shared data and protocol options (see data_options.h).
#include "l2aug/app/data_options.h"

#include "recsys/data/cutoffs.h"
#include "recsys/data/dates.h"
#include "recsys/data/formats.h"
#include "recsys/data/synthetic.h"
#include "recsys/data/text.h"

namespace l2::app {

void add_data_options(Command& cmd) {
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

recsys::DataConfig data_config_from_args(const Args& args, const std::string& positional_data) {
  recsys::DataConfig c;
  const std::string given = args.get_or("data", "");
  if (!given.empty() && !positional_data.empty())
    throw UsageError("the data is given twice: as an argument and as --data");
  c.load.data = !positional_data.empty() ? positional_data : given;
  if (c.load.data.empty()) throw UsageError("no data: give a path or synthetic[:...] (--data)");
  if (recsys::is_synthetic_spec(c.load.data)) {
    try {
      recsys::parse_synthetic_spec(c.load.data);
    } catch (const Error& e) {
      throw UsageError(std::string("--data: ") + e.what());
    }
  }

  if (const std::string f = args.get_or("format", ""); !f.empty()) {
    c.load.format = recsys::format_from_name(f);
    if (!c.load.format)
      throw UsageError("--format: unknown format '" + f + "' (known: " + recsys::format_list() + ")");
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
    throw UsageError("--duplicates: expected keep or drop-repeats, got '" + dup + "'");
  const auto k = args.get_int("kcore");
  if (k < 0 || k > 1000000) throw UsageError("--kcore: expected 0 or a positive count, got " + args.get("kcore"));
  c.dataset.kcore = int(k);

  const std::string split = args.get("split");
  if (split == "temporal")
    c.protocol.split = recsys::SplitKind::temporal;
  else if (split == "loo")
    c.protocol.split = recsys::SplitKind::leave_one_out;
  else
    throw UsageError("--split: expected temporal or loo, got '" + split + "'");

  const std::string cutoff = args.get("cutoff");
  std::int64_t t = 0;
  if (cutoff == "default")
    c.protocol.cutoff.kind = recsys::CutoffChoice::Kind::table_default;
  else if (cutoff == "auto")
    c.protocol.cutoff.kind = recsys::CutoffChoice::Kind::automatic;
  else if (recsys::parse_iso_datetime(cutoff, t) || recsys::parse_int64(cutoff, t))
    c.protocol.cutoff = {recsys::CutoffChoice::Kind::fixed, t};
  else
    throw UsageError("--cutoff: expected default, auto, a date YYYY-MM-DD or unix seconds, got '" + cutoff + "'");

  const std::string group = args.get("group");
  if (group == "mean-gap")
    c.protocol.groups.rule = recsys::GroupRule::mean_gap;
  else if (group == "frequency")
    c.protocol.groups.rule = recsys::GroupRule::top_frequency;
  else
    throw UsageError("--group: expected mean-gap or frequency, got '" + group + "'");
  const std::string scope = args.get("group-scope");
  if (scope == "all")
    c.protocol.groups.scope = recsys::GroupScope::whole_history;
  else if (scope == "train")
    c.protocol.groups.scope = recsys::GroupScope::training;
  else
    throw UsageError("--group-scope: expected all or train, got '" + scope + "'");
  c.protocol.groups.gap_days = args.get_double("gap-days");
  if (!(c.protocol.groups.gap_days > 0.0)) throw UsageError("--gap-days: expected a positive number of days");
  c.protocol.groups.core_fraction = args.get_double("core-fraction");
  if (c.protocol.groups.core_fraction < 0.0 || c.protocol.groups.core_fraction > 1.0)
    throw UsageError("--core-fraction: expected a fraction in [0, 1], got " + args.get("core-fraction"));
  c.protocol.meta_fraction = args.get_double("meta-fraction");
  if (c.protocol.meta_fraction < 0.0 || c.protocol.meta_fraction > 1.0)
    throw UsageError("--meta-fraction: expected a fraction in [0, 1], got " + args.get("meta-fraction"));
  const auto seed = args.get_int("meta-seed");
  if (seed < 0) throw UsageError("--meta-seed: expected a non-negative integer");
  c.protocol.seed = std::uint64_t(seed);

  c.cache.dir = args.get_or("cache-dir", "");
  c.cache.enabled = !args.flag("no-cache");
  return c;
}

}  // namespace l2::app
