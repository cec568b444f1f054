#include "l2aug/app/data_writers.h"

#include <string>

#include "recsys/data/dates.h"
#include "recsys/data/text.h"
#include "recsys/data/text_file.h"
#include "tensor/check.h"

namespace l2::app {

using namespace recsys;

namespace {

std::string json_escaped(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

// Whitespace-separated formats cannot hold ids with spaces, and delimited ones not ids with the delimiter.
void check_ids(const Dataset& d, const std::string& forbidden, Format f) {
  for (const auto* names : {&d.user_names(), &d.item_names()})
    for (size_t k = 1; k < names->size(); ++k)
      L2_CHECK((*names)[k].find_first_of(forbidden) == std::string::npos,
               "cannot write format " << format_name(f) << ": id '" << escape_text((*names)[k]) << "' contains a separator");
}

}  // namespace

std::vector<std::filesystem::path> write_interactions(const Dataset& d, Format format, const std::filesystem::path& dir,
                                                      bool gzip) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  L2_CHECK(!ec, dir.string() << ": cannot create the folder: " << ec.message());
  const std::string gz = gzip ? ".gz" : "";
  const std::string& name = d.name().empty() ? std::string("data") : d.name();
  const auto& U = d.user_names();
  const auto& I = d.item_names();

  if (format == Format::paired) {
    check_ids(d, " \t\r\n", format);
    const auto items_path = dir / (name + "_item_org_rank.txt" + gz),
               times_path = dir / (name + "_time_org_rank.txt" + gz);
    TextWriter items(items_path, gzip), times(times_path, gzip);
    for (std::int32_t u = 1; u <= d.num_users(); ++u) {
      std::string a = U[size_t(u)], b = U[size_t(u)];
      for (std::int32_t i : d.items_of(u)) a.append(" ").append(I[size_t(i)]);
      for (std::int64_t t : d.times_of(u)) b.append(" ").append(std::to_string(t));
      items.line(a);
      times.line(b);
    }
    items.close();
    times.close();
    return {items_path, times_path};
  }

  std::filesystem::path path;
  switch (format) {
    case Format::movielens:
      path = dir / ("u.data" + gz);
      check_ids(d, "\t\r\n", format);
      break;
    case Format::movielens_dat:
      path = dir / ("ratings.dat" + gz);
      check_ids(d, ":\r\n", format);
      break;
    case Format::amazon_json:
      path = dir / ("reviews_" + name + ".json" + gz);
      break;
    case Format::amazon_csv:
      path = dir / ("ratings_" + name + ".csv" + gz);
      check_ids(d, ",\"\r\n", format);
      break;
    case Format::amazon_csv_2018:
      path = dir / (name + ".csv" + gz);
      check_ids(d, ",\"\r\n", format);
      break;
    case Format::goodreads:
      path = dir / ("goodreads_interactions_" + name + ".json" + gz);
      break;
    case Format::recbole:
      path = dir / (name + ".inter" + gz);
      check_ids(d, "\t\r\n", format);
      break;
    case Format::delimited:
      path = dir / (name + ".csv" + gz);
      check_ids(d, ",\"\r\n", format);
      break;
    case Format::paired:
      break;
  }
  TextWriter w(path, gzip);
  if (format == Format::recbole) w.line("user_id:token\titem_id:token\ttimestamp:float");
  if (format == Format::delimited) w.line("user_id,item_id,timestamp");
  for (std::int32_t u = 1; u <= d.num_users(); ++u) {
    const auto items = d.items_of(u);
    const auto times = d.times_of(u);
    for (size_t k = 0; k < items.size(); ++k) {
      const std::string& us = U[size_t(u)];
      const std::string& is = I[size_t(items[k])];
      const std::string t = std::to_string(times[k]);
      switch (format) {
        case Format::movielens:
          w.line(us + "\t" + is + "\t1\t" + t);
          break;
        case Format::movielens_dat:
          w.line(us + "::" + is + "::1::" + t);
          break;
        case Format::amazon_json:
          w.line("{\"reviewerID\": \"" + json_escaped(us) + "\", \"asin\": \"" + json_escaped(is) +
                 "\", \"helpful\": [0, 0], \"overall\": 1.0, \"unixReviewTime\": " + t + ", \"reviewTime\": \"" +
                 format_date(times[k]) + "\"}");
          break;
        case Format::amazon_csv:
          w.line(us + "," + is + ",1.0," + t);
          break;
        case Format::amazon_csv_2018:
          w.line(is + "," + us + ",1.0," + t);
          break;
        case Format::goodreads:
          // Goodreads writes local times with their offset; -0700 (US Pacific summer) exercises it.
          w.line("{\"user_id\": \"" + json_escaped(us) + "\", \"book_id\": \"" + json_escaped(is) +
                 "\", \"is_read\": true, \"rating\": 0, \"date_added\": \"" + format_goodreads_date(times[k], -7 * 60) +
                 "\", \"read_at\": \"\"}");
          break;
        case Format::recbole:
          w.line(us + "\t" + is + "\t" + t);
          break;
        case Format::delimited:
          w.line(us + "," + is + "," + t);
          break;
        case Format::paired:
          break;
      }
    }
  }
  w.close();
  return {path};
}

}  // namespace l2::app
