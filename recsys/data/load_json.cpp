// Readers for JSON-lines dumps: Amazon reviews (2014 and 2018 releases: reviewerID, asin,
// unixReviewTime) and Goodreads interactions or reviews (user_id, book_id, and a date string such
// as date_added = "Fri Aug 25 13:55:02 -0700 2017", converted to UTC with its offset).
#include "recsys/data/dates.h"
#include "recsys/data/json_fields.h"
#include "recsys/data/load_common.h"
#include "recsys/data/loaders.h"
#include "recsys/data/text.h"

namespace l2::recsys {

RawLog load_json_source(const DataSource& source, const LoadConfig& config) {
  const auto& file = source.files.at(0);
  const bool goodreads = source.format == Format::goodreads;
  L2_CHECK(goodreads || source.format == Format::amazon_json,
           "load_json_source: format " << format_name(source.format) << " is not JSON lines");
  RawLog log;
  log.name = source.name;
  log.source = std::string(format_name(source.format)) + ": " + file.string();
  detail::MalformedLines malformed(config.skip_malformed, log.report);

  const std::string time_key = goodreads ? config.time_field : "unixReviewTime";
  JsonField fields[3];
  fields[0].key = goodreads ? "user_id" : "reviewerID";
  fields[1].key = goodreads ? "book_id" : "asin";
  fields[2].key = time_key;
  LineReader reader(file);
  std::string_view line;
  while (reader.next(line)) {
    if (is_blank(line)) continue;
    ++log.report.lines;
    if (const std::string err = extract_json_fields(line, fields); !err.empty()) {
      malformed.fail(reader.where(), "malformed JSON: " + err);
      continue;
    }
    bool missing = false;
    for (const JsonField& f : fields) {
      if (!f.found || f.value.empty() || f.value == "null") {
        malformed.fail(reader.where(), "missing field \"" + std::string(f.key) + "\"");
        missing = true;
        break;
      }
    }
    if (missing) continue;
    std::int64_t t = 0;
    if (goodreads) {
      if (!parse_goodreads_date(fields[2].value, t)) {
        malformed.fail(reader.where(),
                       time_key + " '" + escape_text(fields[2].value) + "' is not a date like \"Fri Aug 25 13:55:02 -0700 2017\"");
        continue;
      }
      if (t < kMinTime || t >= kMaxTime) {
        malformed.fail(reader.where(), time_key + " '" + escape_text(fields[2].value) + "' out of range (1970..2100)");
        continue;
      }
    } else if (const std::string err = parse_time_value(fields[2].value, t); !err.empty()) {
      malformed.fail(reader.where(), "unixReviewTime: " + err);
      continue;
    }
    log.add(fields[0].value, fields[1].value, t);
  }
  detail::check_loaded(log, file.string());
  return log;
}

}  // namespace l2::recsys
