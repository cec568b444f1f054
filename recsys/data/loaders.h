// Loaders: one streaming reader per file format (formats.h), each turning a file into a RawLog
// (raw_log.h). Lines are read one at a time (`.gz` through zlib); only the parsed rows are kept.
// Bad input stops the load with an l2::Error that names the file and line ("u.data:17: expected 4
// fields, found 3"), unless skip_malformed is set, in which case such lines are counted and skipped.
#pragma once

#include <optional>
#include <string>

#include "recsys/data/formats.h"
#include "recsys/data/raw_log.h"

namespace l2::recsys {

struct LoadConfig {
  std::string data;              // a path (file or folder) or "synthetic[:key=value,...]"
  std::optional<Format> format;  // forced format; otherwise detected from the path
  // delimited and recbole: "user=NAME,item=NAME,time=NAME"; a key left out is guessed from the
  // header (user_id/userId/user/reviewerID, item_id/itemId/movieId/asin/book_id, timestamp/time/...).
  std::string columns;
  std::string delimiter;                  // delimited: the field separator; "" = guess (tab, comma, semicolon)
  std::string time_field = "date_added";  // goodreads: the date field that is the interaction time
  bool skip_malformed = false;

  // Every setting that changes what is loaded, in one canonical line (for fingerprints).
  std::string describe() const;
};

// Reads the source's files in its format. Throws l2::Error naming file and line on bad input, and
// on a file with no interactions at all.
RawLog load_raw(const DataSource& source, const LoadConfig& config);

// Per-format readers (load_raw dispatches to these).
RawLog load_delimited_source(const DataSource& source,
                             const LoadConfig& config);  // movielens*, amazon-csv*, recbole, delimited
RawLog load_paired_source(const DataSource& source, const LoadConfig& config);
RawLog load_json_source(const DataSource& source, const LoadConfig& config);  // amazon-json, goodreads

}  // namespace l2::recsys
