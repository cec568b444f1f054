// Reader for the paired sequence files of the shared Amazon and Yelp data (TiCoSeRec layout):
// line k of *_item_org_rank.txt is "user i_1 ... i_n" and line k of *_time_org_rank.txt is
// "user t_1 ... t_n". The two files are read in lockstep; any disagreement (user, length, a missing
// line) is reported with the line number in each file, since either file may be the broken one.
// Times within a line must not decrease (each line is one user's sequence, oldest first).
#include "recsys/data/load_common.h"
#include "recsys/data/loaders.h"
#include "recsys/data/text.h"

namespace l2::recsys {

namespace {
// The next non-blank line, or false at the end.
bool next_data_line(LineReader& r, std::string_view& line) {
  while (r.next(line))
    if (!is_blank(line)) return true;
  return false;
}
}  // namespace

RawLog load_paired_source(const DataSource& source, const LoadConfig& config) {
  L2_CHECK(source.files.size() == 2, "paired format needs an items file and a times file");
  const auto& items_file = source.files[0];
  const auto& times_file = source.files[1];
  RawLog log;
  log.name = source.name;
  log.source = "paired: " + items_file.string() + " + " + times_file.filename().string();
  detail::MalformedLines malformed(config.skip_malformed, log.report);

  LineReader items(items_file), times(times_file);
  std::string_view item_line, time_line;
  std::vector<std::string_view> fi, ft;
  while (true) {
    const bool has_items = next_data_line(items, item_line);
    const bool has_times = next_data_line(times, time_line);
    if (!has_items && !has_times) break;
    // A missing partner line is a structural error: the rest of the files cannot be aligned, so it
    // is never skipped.
    L2_CHECK(has_items == has_times,
             "misaligned pair files: " << (has_items ? items.where() : times.where()) << " has no partner line: "
                                       << (has_items ? times_file : items_file).string() << " ends after line "
                                       << (has_items ? times.line_number() : items.line_number()));
    ++log.report.lines;
    split_whitespace(item_line, fi);
    split_whitespace(time_line, ft);
    const std::string both = items.where() + " and " + times.where();
    if (fi.empty() || ft.empty() || fi[0] != ft[0]) {
      malformed.fail(both, "misaligned pair: user '" + escape_text(fi.empty() ? "" : fi[0]) + "' vs user '" +
                               escape_text(ft.empty() ? "" : ft[0]) + "'");
      continue;
    }
    if (fi.size() != ft.size()) {
      malformed.fail(both, "misaligned pair: user " + escape_text(fi[0]) + " has " + std::to_string(fi.size() - 1) +
                               " items but " + std::to_string(ft.size() - 1) + " times");
      continue;
    }
    if (fi.size() < 2) {
      malformed.fail(both, "user " + escape_text(fi[0]) + " has no interactions");
      continue;
    }
    // Parse every time first, so that a bad field drops the whole line and never half of it.
    bool ok = true;
    std::vector<std::int64_t> t(fi.size() - 1);
    for (size_t k = 1; k < ft.size() && ok; ++k) {
      if (const std::string err = parse_time_value(ft[k], t[k - 1]); !err.empty()) {
        malformed.fail(times.where(), "field " + std::to_string(k + 1) + ": " + err);
        ok = false;
      }
    }
    if (!ok) continue;
    // A sequence file lists a user's interactions oldest first; times that go back mean the two
    // files or the columns of this line are out of step, which would otherwise surface much later
    // as a split that makes no sense.
    for (size_t k = 1; k < t.size(); ++k) {
      if (t[k] < t[k - 1]) {
        malformed.fail(times.where(), "times decrease: field " + std::to_string(k + 2) + " (" + escape_text(ft[k + 1]) +
                                          ") is earlier than field " + std::to_string(k + 1) + " (" +
                                          escape_text(ft[k]) + ")");
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    for (size_t k = 1; k < fi.size(); ++k) log.add(fi[0], fi[k], t[k - 1]);
  }
  detail::check_loaded(log, items_file.string());
  return log;
}

}  // namespace l2::recsys
