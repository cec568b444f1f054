// The interaction file formats l2aug reads (datasets/README.md documents each, with download
// links), and the detection of a format from a path: `--data` names a file or a folder, and the
// format is recognised from the file names and, where names are ambiguous, the first line.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace l2::recsys {

enum class Format {
  movielens,        // u.data (MovieLens 100K): user \t item \t rating \t unix_time, no header
  movielens_dat,    // ratings.dat (MovieLens 1M/10M): user::item::rating::unix_time
  paired,           // *_item_org_rank.txt + *_time_org_rank.txt: "user i_1 ... i_n" / "user t_1 ... t_n"
  amazon_json,      // Amazon review JSON lines, 2014 and 2018: reviewerID, asin, unixReviewTime
  amazon_csv,       // Amazon 2014 ratings-only CSV: user,item,rating,unix_time (ratings_<Category>.csv)
  amazon_csv_2018,  // Amazon 2018 ratings-only CSV: item,user,rating,unix_time (<Category>.csv)
  goodreads,        // Goodreads JSON lines: user_id, book_id, date_added ("Fri Aug 25 13:55:02 -0700 2017")
  recbole,          // RecBole atomic .inter: header of name:type fields, tab-separated
  delimited,        // any delimited file with a header; the user/item/time columns are named
};

const char* format_name(Format f);
std::optional<Format> format_from_name(std::string_view name);
std::string format_list();  // "movielens, movielens-dat, ..." for help texts and errors

// A resolved data source: the files to read, their format, and the dataset key.
struct DataSource {
  Format format = Format::movielens;
  std::vector<std::filesystem::path> files;  // paired: {items file, times file}; otherwise one file
  std::string name;  // dataset key for the default-cutoff table: "ml-100k", "beauty", "sports", ...
};

// Finds the files and format of `path` (a file or a folder). With `forced`, a file is read in
// that format (a folder is searched for a file of that format). Throws an l2::Error naming the path
// when nothing matches, or when a folder holds several datasets.
DataSource resolve_source(const std::filesystem::path& path, std::optional<Format> forced);

}  // namespace l2::recsys
