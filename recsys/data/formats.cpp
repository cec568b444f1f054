#include "recsys/data/formats.h"

#include <algorithm>

#include "recsys/data/text.h"
#include "recsys/data/text_file.h"
#include "tensor/check.h"

namespace l2::recsys {

namespace {

struct FormatInfo {
  Format format;
  const char* name;
};
constexpr FormatInfo kFormats[] = {
    {Format::movielens, "movielens"},   {Format::movielens_dat, "movielens-dat"},
    {Format::paired, "paired"},         {Format::amazon_json, "amazon-json"},
    {Format::amazon_csv, "amazon-csv"}, {Format::amazon_csv_2018, "amazon-csv-2018"},
    {Format::goodreads, "goodreads"},   {Format::recbole, "recbole"},
    {Format::delimited, "delimited"},
};

constexpr std::string_view kItemSuffix = "_item_org_rank.txt";
constexpr std::string_view kTimeSuffix = "_time_org_rank.txt";

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// The file name without a trailing ".gz".
std::string base_name(const std::filesystem::path& p) {
  std::string n = p.filename().string();
  if (ends_with(n, ".gz")) n.resize(n.size() - 3);
  return n;
}

std::string stem_key(const std::string& base) {
  std::string s = base;
  if (const auto dot = s.find('.'); dot != std::string::npos) s.resize(dot);
  return lower(s);
}

// The paired source of either file of a pair; throws if its partner is missing.
DataSource paired_source(const std::filesystem::path& file) {
  const std::string base = base_name(file);
  const bool is_items = ends_with(base, kItemSuffix);
  const std::string prefix = base.substr(0, base.size() - kItemSuffix.size());
  const std::string gz = ends_with(file.filename().string(), ".gz") ? ".gz" : "";
  const auto items = file.parent_path() / (prefix + std::string(kItemSuffix) + gz);
  const auto times = file.parent_path() / (prefix + std::string(kTimeSuffix) + gz);
  const auto& partner = is_items ? times : items;
  L2_CHECK(std::filesystem::is_regular_file(partner),
           file.string() << ": paired format, but its partner file " << partner.string() << " is missing");
  return {Format::paired, {items, times}, lower(prefix)};
}

// Field names of a header line that look like the user, item and time columns of some dataset.
bool looks_like_header(std::string_view line) {
  static const char* kNames[] = {"user",    "userid", "user_id", "reviewerid", "item", "itemid",         "item_id",
                                 "movieid", "asin",   "book_id", "timestamp",  "time", "unixreviewtime", "rating"};
  std::vector<std::string_view> f;
  const char* delim = line.find('\t') != std::string_view::npos  ? "\t"
                      : line.find(',') != std::string_view::npos ? ","
                                                                 : ";";
  split_fields(line, delim, f);
  for (std::string_view x : f) {
    std::string n = lower(trim(x));
    if (const auto colon = n.find(':'); colon != std::string::npos) n.resize(colon);  // RecBole name:type
    for (const char* k : kNames)
      if (n == k) return true;
  }
  return false;
}

// What a single file is, judged by its name (and first line where the name is not enough).
// nullopt when the file is not recognised as interaction data.
std::optional<DataSource> detect_file(const std::filesystem::path& file) {
  const std::string base = base_name(file);
  const std::string parent = lower(file.parent_path().filename().string());
  if (base == "u.data") return DataSource{Format::movielens, {file}, parent.empty() ? "movielens" : parent};
  if (base == "ratings.dat") return DataSource{Format::movielens_dat, {file}, parent.empty() ? "movielens" : parent};
  if (ends_with(base, kItemSuffix) || ends_with(base, kTimeSuffix)) return paired_source(file);
  if (ends_with(base, ".inter")) return DataSource{Format::recbole, {file}, stem_key(base)};
  if (ends_with(base, ".json")) {
    const std::string line = first_line(file);
    if (line.find("\"reviewerID\"") != std::string::npos || line.find("'reviewerID'") != std::string::npos)
      return DataSource{Format::amazon_json, {file}, stem_key(base)};
    if (line.find("\"book_id\"") != std::string::npos && line.find("\"user_id\"") != std::string::npos)
      return DataSource{Format::goodreads, {file}, stem_key(base)};
    return std::nullopt;
  }
  if (ends_with(base, ".csv") || ends_with(base, ".tsv") || ends_with(base, ".txt")) {
    const std::string line = first_line(file);
    if (looks_like_header(line)) return DataSource{Format::delimited, {file}, stem_key(base)};
    if (starts_with(base, "ratings_") && ends_with(base, ".csv"))
      return DataSource{Format::amazon_csv, {file}, lower(base.substr(8, base.size() - 12))};
  }
  return std::nullopt;
}

}  // namespace

const char* format_name(Format f) {
  for (const FormatInfo& i : kFormats)
    if (i.format == f) return i.name;
  return "?";
}

std::optional<Format> format_from_name(std::string_view name) {
  for (const FormatInfo& i : kFormats)
    if (name == i.name) return i.format;
  return std::nullopt;
}

std::string format_list() {
  std::string s;
  for (const FormatInfo& i : kFormats) s += (s.empty() ? "" : ", ") + std::string(i.name);
  return s;
}

DataSource resolve_source(const std::filesystem::path& path, std::optional<Format> forced) {
  std::error_code ec;
  L2_CHECK(std::filesystem::exists(path, ec), path.string() << ": no such file or folder");
  if (std::filesystem::is_regular_file(path, ec)) {
    if (forced == Format::paired) return paired_source(path);
    if (forced) {
      auto detected = detect_file(path);
      const std::string name = detected ? detected->name : stem_key(base_name(path));
      return DataSource{*forced, {path}, name};
    }
    auto detected = detect_file(path);
    L2_CHECK(detected, path.string() << ": unknown format (the name and first line match no known format; "
                                     << "give --format, one of: " << format_list() << ")");
    return *detected;
  }
  // A folder: every recognised file in it, sorted by name so the choice never depends on the
  // order the file system lists them in.
  std::vector<std::filesystem::path> entries;
  for (const auto& e : std::filesystem::directory_iterator(path, ec))
    if (e.is_regular_file()) entries.push_back(e.path());
  L2_CHECK(!ec, path.string() << ": cannot list the folder: " << ec.message());
  std::sort(entries.begin(), entries.end());
  std::vector<DataSource> found;
  for (const auto& f : entries) {
    if (ends_with(base_name(f), kTimeSuffix)) continue;  // found through its items partner
    auto d = detect_file(f);
    if (d && (!forced || d->format == *forced)) found.push_back(*d);
  }
  L2_CHECK(!found.empty(), path.string() << ": no interaction file found in this folder"
                                         << (forced ? std::string(" of format ") + format_name(*forced) : "")
                                         << " (known formats: " << format_list() << ")");
  if (found.size() > 1) {
    std::string list;
    for (const auto& d : found) list += "\n  " + d.files[0].string() + " (" + format_name(d.format) + ")";
    L2_FAIL(path.string() << ": several interaction files; pass one of them as --data:" << list);
  }
  // The folder's own name is the better key for a fixed file name (ml-100k/u.data).
  return found[0];
}

}  // namespace l2::recsys
