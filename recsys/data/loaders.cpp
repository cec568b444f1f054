#include "recsys/data/loaders.h"

#include "tensor/check.h"

namespace l2::recsys {

std::string LoadConfig::describe() const {
  return "format=" + std::string(format ? format_name(*format) : "auto") + ";columns=" + columns +
         ";delimiter=" + delimiter + ";time_field=" + time_field + ";skip_malformed=" + (skip_malformed ? "1" : "0");
}

RawLog load_raw(const DataSource& source, const LoadConfig& config) {
  switch (source.format) {
    case Format::paired:
      return load_paired_source(source, config);
    case Format::amazon_json:
    case Format::goodreads:
      return load_json_source(source, config);
    case Format::movielens:
    case Format::movielens_dat:
    case Format::amazon_csv:
    case Format::amazon_csv_2018:
    case Format::recbole:
    case Format::delimited:
      return load_delimited_source(source, config);
  }
  L2_FAIL("load_raw: unknown format");
}

}  // namespace l2::recsys
