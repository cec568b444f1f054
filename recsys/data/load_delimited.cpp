// Readers for the one-interaction-per-line formats: MovieLens u.data (tab) and ratings.dat ("::"),
// Amazon's ratings-only CSVs (2014: user,item,...; 2018: item,user,...), RecBole .inter files
// (a "name:type" header, tab-separated) and generic delimited files with a named-column header.
#include <map>

#include "recsys/data/load_common.h"
#include "recsys/data/loaders.h"
#include "recsys/data/text.h"

namespace l2::recsys {

namespace {

// Where the fields are on a line.
struct Layout {
  std::string delim;
  bool quoted = false;  // CSV double quotes around fields
  int fields = 4;       // exact number of fields per line
  int user = 0, item = 1, time = 3;
};

void split_line(std::string_view line, const Layout& layout, std::vector<std::string_view>& out, bool& ok) {
  ok = true;
  if (layout.quoted && layout.delim.size() == 1)
    ok = split_quoted(line, layout.delim[0], out);
  else
    split_fields(line, layout.delim, out);
}

// "user=a,item=b,time=c" -> {user: a, item: b, time: c}.
std::map<std::string, std::string> parse_columns(const std::string& spec) {
  std::map<std::string, std::string> m;
  std::vector<std::string_view> parts;
  if (trim(spec).empty()) return m;
  split_fields(spec, ",", parts);
  for (std::string_view p : parts) {
    const auto eq = p.find('=');
    const std::string key = lower(trim(p.substr(0, eq)));
    L2_CHECK(eq != std::string_view::npos && (key == "user" || key == "item" || key == "time") &&
                 !trim(p.substr(eq + 1)).empty(),
             "--columns: expected user=NAME,item=NAME,time=NAME, got '" << spec << "'");
    m[key] = std::string(trim(p.substr(eq + 1)));
  }
  return m;
}

// The index of the column for `role` among the header's names: the name given in --columns, or
// the first header name among the usual spellings.
int find_column(const std::vector<std::string>& names, const std::map<std::string, std::string>& given,
                const std::string& role, const std::string& where, const std::string& header) {
  static const std::map<std::string, std::vector<std::string>> kGuesses = {
      {"user", {"user_id", "userid", "user", "reviewerid", "reviewer_id", "uid", "visitorid"}},
      {"item",
       {"item_id", "itemid", "item", "movieid", "movie_id", "asin", "parent_asin", "book_id", "business_id", "iid"}},
      {"time", {"timestamp", "time", "unixreviewtime", "ts", "date", "datetime", "date_added"}},
  };
  if (auto it = given.find(role); it != given.end()) {
    for (size_t i = 0; i < names.size(); ++i)
      if (names[i] == it->second) return int(i);
    L2_FAIL(where << ": no column named '" << it->second << "' (from --columns " << role << "=" << it->second
                  << ") in the header '" << header << "'");
  }
  for (const std::string& g : kGuesses.at(role))
    for (size_t i = 0; i < names.size(); ++i)
      if (lower(names[i]) == g) return int(i);
  L2_FAIL(where << ": cannot tell which column is the " << role << " in the header '" << header
                << "' (name it with --columns " << role << "=NAME)");
}

// Reads the header line of a recbole/delimited file and fills the layout from it.
Layout layout_from_header(std::string_view line, const DataSource& source, const LoadConfig& config,
                          const std::string& where) {
  Layout layout;
  const bool recbole = source.format == Format::recbole;
  if (!config.delimiter.empty()) {
    layout.delim = config.delimiter == "tab" || config.delimiter == "\\t" ? std::string(1, '\t') : config.delimiter;
  } else {  // RecBole's default field separator is a tab; otherwise the first of tab, comma, semicolon in the header
    char guess = '\t';
    if (!recbole && line.find('\t') == std::string_view::npos) {
      if (line.find(',') != std::string_view::npos)
        guess = ',';
      else if (line.find(';') != std::string_view::npos)
        guess = ';';
      else
        L2_FAIL(where << ": cannot guess the delimiter of the header '" << escape_text(line) << "' (give --delimiter)");
    }
    layout.delim = std::string(1, guess);
  }
  layout.quoted = !recbole && layout.delim.size() == 1 && layout.delim != "\t";
  std::vector<std::string_view> raw;
  bool ok = true;
  split_line(line, layout, raw, ok);
  L2_CHECK(ok, where << ": unterminated quote in the header");
  std::vector<std::string> names;
  for (std::string_view f : raw) {
    std::string name(trim(f));
    if (recbole) {  // RecBole: "name:type", type one of token, token_seq, float, float_seq
      const auto colon = name.find(':');
      L2_CHECK(colon != std::string::npos && name.find(':', colon + 1) == std::string::npos,
               where << ": RecBole header field '" << escape_text(name) << "' is not name:type (is the separator a tab?)");
      const std::string type = name.substr(colon + 1);
      L2_CHECK(type == "token" || type == "token_seq" || type == "float" || type == "float_seq",
               where << ": RecBole field '" << escape_text(name) << "' has unknown type '" << escape_text(type)
                     << "' (token, token_seq, float, float_seq)");
      name.resize(colon);
    }
    names.push_back(name);
  }
  const auto given = parse_columns(config.columns);
  layout.fields = int(names.size());
  const std::string header = escape_text(line);
  layout.user = find_column(names, given, "user", where, header);
  layout.item = find_column(names, given, "item", where, header);
  layout.time = find_column(names, given, "time", where, header);
  L2_CHECK(layout.user != layout.item && layout.user != layout.time && layout.item != layout.time,
           where << ": the user, item and time columns must differ (header '" << header << "')");
  return layout;
}

}  // namespace

RawLog load_delimited_source(const DataSource& source, const LoadConfig& config) {
  const auto& file = source.files.at(0);
  RawLog log;
  log.name = source.name;
  log.source = std::string(format_name(source.format)) + ": " + file.string();
  detail::MalformedLines malformed(config.skip_malformed, log.report);

  Layout layout;
  bool has_header = false;
  switch (source.format) {
    case Format::movielens:
      layout = {"\t", false, 4, 0, 1, 3};
      break;
    case Format::movielens_dat:
      layout = {"::", false, 4, 0, 1, 3};
      break;
    case Format::amazon_csv:
      layout = {",", true, 4, 0, 1, 3};
      break;
    case Format::amazon_csv_2018:
      layout = {",", true, 4, 1, 0, 3};
      break;
    case Format::recbole:
    case Format::delimited:
      has_header = true;
      break;
    default:
      L2_FAIL("load_delimited_source: format " << format_name(source.format) << " is not delimited");
  }

  LineReader reader(file);
  std::string_view line;
  std::vector<std::string_view> f;
  bool header_seen = false;
  while (reader.next(line)) {
    if (is_blank(line)) continue;
    if (has_header && !header_seen) {
      layout = layout_from_header(line, source, config, reader.where());
      header_seen = true;
      continue;
    }
    ++log.report.lines;
    bool ok = true;
    split_line(line, layout, f, ok);
    if (!ok) {
      malformed.fail(reader.where(), "unterminated quote");
      continue;
    }
    if (int(f.size()) != layout.fields) {
      malformed.fail(reader.where(), "expected " + std::to_string(layout.fields) + " fields separated by '" +
                                         (layout.delim == "\t" ? std::string("\\t") : layout.delim) + "', found " +
                                         std::to_string(f.size()));
      continue;
    }
    const std::string_view user = trim(f[size_t(layout.user)]), item = trim(f[size_t(layout.item)]);
    if (user.empty() || item.empty()) {
      malformed.fail(reader.where(), user.empty() ? "empty user id" : "empty item id");
      continue;
    }
    std::int64_t t = 0;
    if (const std::string err = parse_time_value(f[size_t(layout.time)], t); !err.empty()) {
      malformed.fail(reader.where(), err);
      continue;
    }
    log.add(user, item, t);
  }
  if (has_header) L2_CHECK(header_seen, file.string() << ": empty file (no header line)");
  detail::check_loaded(log, file.string());
  return log;
}

}  // namespace l2::recsys
