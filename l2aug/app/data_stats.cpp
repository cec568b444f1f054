#include "l2aug/app/data_stats.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

#include "recsys/data/dates.h"
#include "recsys/data/groups.h"
#include "recsys/data/hash.h"

namespace l2::app {

using namespace recsys;

namespace {

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

// 12345 -> "12,345", for tables people read.
std::string thousands(std::int64_t v) {
  std::string s = std::to_string(v < 0 ? -v : v), out;
  for (size_t k = 0; k < s.size(); ++k) {
    if (k > 0 && (s.size() - k) % 3 == 0) out += ',';
    out += s[k];
  }
  return v < 0 ? "-" + out : out;
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\')
      out += '\\', out += char(c);
    else if (c == '\n')
      out += "\\n";
    else if (c == '\t')
      out += "\\t";
    else if (c < 0x20)
      out += fmt("\\u%04x", c);
    else
      out += char(c);
  }
  return out + "\"";
}

std::string json_number(double v) { return std::isfinite(v) ? fmt("%.6g", v) : "null"; }

std::string json_distribution(const Distribution& d) {
  return "{\"count\": " + std::to_string(d.count) + ", \"mean\": " + json_number(d.mean) +
         ", \"min\": " + json_number(d.min) + ", \"p10\": " + json_number(d.p10) + ", \"p25\": " + json_number(d.p25) +
         ", \"p50\": " + json_number(d.p50) + ", \"p75\": " + json_number(d.p75) + ", \"p90\": " + json_number(d.p90) +
         ", \"max\": " + json_number(d.max) + "}";
}

std::string distribution_row(const char* label, const Distribution& d, const char* number_format) {
  std::string r = std::string("| ") + label + " | " + thousands(d.count);
  for (double v : {d.min, d.p10, d.p25, d.p50, d.p75, d.p90, d.max}) r += " | " + fmt(number_format, v);
  return r + " | " + fmt("%.2f", d.mean) + " |\n";
}

}  // namespace

Distribution summarize(std::vector<double> v) {
  Distribution d;
  d.count = std::int64_t(v.size());
  if (v.empty()) return d;
  std::sort(v.begin(), v.end());
  auto q = [&](double p) {
    const double x = p * double(v.size() - 1);
    const auto lo = size_t(std::floor(x));
    const size_t hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (x - double(lo)) * (v[hi] - v[lo]);
  };
  double sum = 0.0;
  for (double x : v) sum += x;
  d.mean = sum / double(v.size());
  d.min = v.front(), d.max = v.back();
  d.p10 = q(0.10), d.p25 = q(0.25), d.p50 = q(0.50), d.p75 = q(0.75), d.p90 = q(0.90);
  return d;
}

const char* length_bucket_name(int b) {
  static const char* kNames[kLengthBuckets] = {"1", "2-4", "5-9", "10-19", "20-49", "50-99", "100-199", "200+"};
  return kNames[b];
}

int length_bucket(std::int64_t n) {
  static const std::int64_t kUpper[kLengthBuckets - 1] = {1, 4, 9, 19, 49, 99, 199};
  for (int b = 0; b < kLengthBuckets - 1; ++b)
    if (n <= kUpper[b]) return b;
  return kLengthBuckets - 1;
}

DataStats compute_stats(const Split& split) {
  const Dataset& d = split.dataset();
  DataStats s;
  s.name = d.name();
  s.source = d.source();
  s.fingerprint = to_hex(d.fingerprint());
  s.dataset_settings = d.config().describe();
  s.protocol = split.config().describe();
  s.num_users = d.num_users(), s.num_items = d.num_items();
  s.num_interactions = d.num_interactions(), s.min_time = d.min_time(), s.max_time = d.max_time();
  s.load = d.load_report();
  s.preprocess = d.preprocess_report();
  s.temporal = split.config().split == SplitKind::temporal;
  s.cutoff = split.cutoff();
  s.cutoff_origin = split.cutoff_origin();

  std::array<std::vector<double>, 2> len, train_len, gaps;
  std::vector<char> in_training(size_t(d.num_items()) + 1, 0);
  std::vector<std::int64_t> first_seen(size_t(d.num_items()) + 1, std::numeric_limits<std::int64_t>::max());
  for (std::int32_t u = 1; u <= d.num_users(); ++u) {
    const auto g = size_t(split.group(u));
    GroupStats& gs = s.group[g];
    const auto items = d.items_of(u);
    const auto times = d.times_of(u);
    gs.interactions += std::int64_t(items.size());
    len[g].push_back(double(items.size()));
    train_len[g].push_back(double(split.train_length(u)));
    ++gs.length_histogram[size_t(length_bucket(std::int64_t(items.size())))];
    if (items.size() >= 2) gaps[g].push_back(mean_gap_days(times));
    for (std::int32_t i : split.train_items(u)) in_training[size_t(i)] = 1;
    for (size_t k = 0; k < items.size(); ++k)
      first_seen[size_t(items[k])] = std::min(first_seen[size_t(items[k])], times[k]);
  }
  for (size_t g = 0; g < 2; ++g) {
    GroupStats& gs = s.group[g];
    gs.counts = split.counts(Group(g));
    gs.length = summarize(len[g]);
    gs.train_length = summarize(train_len[g]);
    gs.mean_gap_days = summarize(gaps[g]);
  }
  const auto cont = interest_continuity(split);
  for (size_t g = 0; g < 2; ++g) s.group[g].continuity = cont[g];

  if (s.temporal) {
    for (std::int32_t i = 1; i <= d.num_items(); ++i)
      if (first_seen[size_t(i)] >= s.cutoff) ++s.new_items;
    for (std::int32_t u = 1; u <= d.num_users(); ++u) {
      if (split.train_length(u) == 0) ++s.new_users;
      for (std::int32_t i : d.items_of(u))
        if (first_seen[size_t(i)] >= s.cutoff) ++s.new_item_interactions;
    }
  }
  for (std::int32_t u : split.validation_users())
    if (!in_training[size_t(split.validation_target(u))]) ++s.validation_targets_unseen;
  for (std::int32_t u : split.test_users())
    if (!in_training[size_t(split.test_target(u))]) ++s.test_targets_unseen;
  return s;
}

std::string stats_text(const DataStats& s) {
  const GroupStats &ca = s.group[0], &co = s.group[1];
  std::ostringstream o;
  o << "dataset: " << s.name << "  (" << s.source << ")\n";
  o << "fingerprint: " << s.fingerprint << "  time span: " << format_date(s.min_time) << " .. "
    << format_date(s.max_time) << " (UTC)\n";
  o << "load: " << thousands(s.load.lines) << " lines, " << thousands(s.load.rows) << " interactions read";
  if (s.load.skipped > 0)
    o << ", " << thousands(s.load.skipped) << " malformed lines skipped (first: " << s.load.first_skipped << ")";
  o << "\npreprocessing: " << s.dataset_settings << "; " << thousands(s.preprocess.duplicates_dropped)
    << " repeated (user, item) rows dropped; k-core removed " << thousands(s.preprocess.kcore_rows_removed) << " rows, "
    << thousands(s.preprocess.kcore_users_removed) << " users, " << thousands(s.preprocess.kcore_items_removed)
    << " items\n";
  o << "protocol: " << s.protocol << "\n";
  if (!s.cache.empty()) o << "cache: " << s.cache << "\n";
  if (s.temporal) o << "cutoff T: " << format_date(s.cutoff) << " (" << s.cutoff << ", " << s.cutoff_origin << ")\n";

  o << "\nTable 1\n\n| dataset | #items | #casual users | #core users | avg #interactions |\n|---|---|---|---|---|\n";
  o << "| " << s.name << " | " << thousands(s.num_items) << " | " << thousands(ca.counts.users) << " | "
    << thousands(co.counts.users) << " | " << fmt("%.2f", double(s.num_interactions) / double(std::max(1, s.num_users)))
    << " |\n";

  o << "\nSplit per group\n\n| group | users | interactions | training interactions | validation users | test users "
       "| meta users (of eligible) | left out: no training | no validation | no test | too short (loo) |\n"
       "|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (int g = 0; g < 2; ++g) {
    const GroupStats& gs = s.group[size_t(g)];
    const GroupCounts& c = gs.counts;
    o << "| " << group_name(Group(g)) << " | " << thousands(c.users) << " | " << thousands(gs.interactions) << " | "
      << thousands(c.train_interactions) << " | " << thousands(c.validation) << " | " << thousands(c.test) << " | "
      << thousands(c.meta) << " (of " << thousands(c.meta_eligible) << ") | " << thousands(c.no_train) << " | "
      << thousands(c.no_valid) << " | " << thousands(c.no_test) << " | " << thousands(c.too_short) << " |\n";
  }

  o << "\nInteractions per user\n\n| group | users | min | p10 | p25 | p50 | p75 | p90 | max | mean |\n"
       "|---|---|---|---|---|---|---|---|---|---|\n";
  o << distribution_row("casual, whole history", ca.length, "%.0f")
    << distribution_row("core, whole history", co.length, "%.0f");
  o << distribution_row("casual, training part", ca.train_length, "%.0f")
    << distribution_row("core, training part", co.train_length, "%.0f");
  o << "\n| users per length |";
  for (int b = 0; b < kLengthBuckets; ++b) o << " " << length_bucket_name(b) << " |";
  o << "\n|---|";
  for (int b = 0; b < kLengthBuckets; ++b) o << "---|";
  o << "\n";
  for (int g = 0; g < 2; ++g) {
    o << "| " << group_name(Group(g)) << " |";
    for (int b = 0; b < kLengthBuckets; ++b)
      o << " " << thousands(s.group[size_t(g)].length_histogram[size_t(b)]) << " |";
    o << "\n";
  }

  o << "\nMean gap between consecutive interactions, days (whole history, users with >= 2)\n\n"
       "| group | users | min | p10 | p25 | p50 | p75 | p90 | max | mean "
       "|\n|---|---|---|---|---|---|---|---|---|---|\n";
  o << distribution_row("casual", ca.mean_gap_days, "%.1f") << distribution_row("core", co.mean_gap_days, "%.1f");

  if (s.temporal) {
    o << "\nIds first seen at or after the cutoff (they stay ranking candidates / evaluated)\n";
    o << "  items: " << thousands(s.new_items) << " (" << thousands(s.new_item_interactions) << " interactions)\n";
    o << "  users with no training interaction: " << thousands(s.new_users) << "\n";
  }
  o << "  validation targets never in any training part: " << thousands(s.validation_targets_unseen) << "\n";
  o << "  test targets never in any training part: " << thousands(s.test_targets_unseen) << "\n";

  o << "\nInterest continuity (Figure 1(a)): mean co-occurrence cosine of consecutive training items\n";
  for (int g = 0; g < 2; ++g)
    o << "  " << group_name(Group(g)) << ": " << fmt("%.4f", s.group[size_t(g)].continuity.mean) << " over "
      << thousands(s.group[size_t(g)].continuity.pairs) << " pairs\n";
  if (!s.cutoff_scan.empty())
    o << "\nCutoff scan (month starts; auto picks the most test users of the smaller group "
         "among cutoffs with a training share >= 0.5)\n\n"
      << cutoff_scan_text(s.cutoff_scan);
  return o.str();
}

std::string stats_json(const DataStats& s, const std::string& build_facts) {
  std::ostringstream o;
  o << "{\n  \"dataset\": " << json_string(s.name) << ",\n  \"source\": " << json_string(s.source)
    << ",\n  \"fingerprint\": " << json_string(s.fingerprint) << ",\n  \"num_users\": " << s.num_users
    << ",\n  \"num_items\": " << s.num_items << ",\n  \"num_interactions\": " << s.num_interactions
    << ",\n  \"avg_interactions\": " << json_number(double(s.num_interactions) / double(std::max(1, s.num_users)))
    << ",\n  \"time_span\": [" << json_string(format_datetime(s.min_time)) << ", "
    << json_string(format_datetime(s.max_time)) << "]";
  o << ",\n  \"load\": {\"lines\": " << s.load.lines << ", \"rows\": " << s.load.rows
    << ", \"skipped\": " << s.load.skipped << ", \"first_skipped\": " << json_string(s.load.first_skipped) << "}";
  o << ",\n  \"preprocessing\": {\"settings\": " << json_string(s.dataset_settings)
    << ", \"duplicates_dropped\": " << s.preprocess.duplicates_dropped
    << ", \"kcore_rows_removed\": " << s.preprocess.kcore_rows_removed
    << ", \"kcore_users_removed\": " << s.preprocess.kcore_users_removed
    << ", \"kcore_items_removed\": " << s.preprocess.kcore_items_removed << "}";
  o << ",\n  \"protocol\": " << json_string(s.protocol);
  if (s.temporal)
    o << ",\n  \"cutoff\": {\"date\": " << json_string(format_date(s.cutoff)) << ", \"unix\": " << s.cutoff
      << ", \"origin\": " << json_string(s.cutoff_origin) << "}";
  o << ",\n  \"table1\": {\"items\": " << s.num_items << ", \"casual_users\": " << s.group[0].counts.users
    << ", \"core_users\": " << s.group[1].counts.users
    << ", \"avg_interactions\": " << json_number(double(s.num_interactions) / double(std::max(1, s.num_users))) << "}";
  o << ",\n  \"groups\": {";
  for (int g = 0; g < 2; ++g) {
    const GroupStats& gs = s.group[size_t(g)];
    const GroupCounts& c = gs.counts;
    o << (g ? ",\n" : "\n") << "    " << json_string(group_name(Group(g))) << ": {\"users\": " << c.users
      << ", \"interactions\": " << gs.interactions << ", \"train_interactions\": " << c.train_interactions
      << ", \"validation_users\": " << c.validation << ", \"test_users\": " << c.test << ", \"meta_users\": " << c.meta
      << ", \"meta_eligible\": " << c.meta_eligible << ", \"left_out\": {\"no_train\": " << c.no_train
      << ", \"no_valid\": " << c.no_valid << ", \"no_test\": " << c.no_test << ", \"too_short\": " << c.too_short
      << "},\n      \"length\": " << json_distribution(gs.length)
      << ",\n      \"train_length\": " << json_distribution(gs.train_length)
      << ",\n      \"mean_gap_days\": " << json_distribution(gs.mean_gap_days) << ",\n      \"length_histogram\": {";
    for (int b = 0; b < kLengthBuckets; ++b)
      o << (b ? ", " : "") << json_string(length_bucket_name(b)) << ": " << gs.length_histogram[size_t(b)];
    o << "},\n      \"continuity\": {\"mean\": " << json_number(gs.continuity.mean)
      << ", \"pairs\": " << gs.continuity.pairs << "}}";
  }
  o << "\n  },\n  \"after_cutoff\": {\"new_items\": " << s.new_items
    << ", \"new_item_interactions\": " << s.new_item_interactions << ", \"users_without_training\": " << s.new_users
    << ", \"validation_targets_unseen\": " << s.validation_targets_unseen
    << ", \"test_targets_unseen\": " << s.test_targets_unseen << "}";
  if (!s.cache.empty()) o << ",\n  \"cache\": " << json_string(s.cache);
  if (!s.cutoff_scan.empty()) o << ",\n  \"cutoff_scan\": " << cutoff_scan_json(s.cutoff_scan);
  o << ",\n  \"build\": " << (build_facts.empty() ? "{}" : build_facts) << "\n}\n";
  return o.str();
}

std::string cutoff_scan_text(const std::vector<CutoffCandidate>& scan) {
  std::ostringstream o;
  o << "| cutoff | training share | casual valid | casual test | core valid | core test | meta-eligible casual |\n"
       "|---|---|---|---|---|---|---|\n";
  for (const CutoffCandidate& c : scan)
    o << "| " << format_date(c.time) << " | " << fmt("%.3f", c.train_fraction) << " | " << thousands(c.validation[0])
      << " | " << thousands(c.test[0]) << " | " << thousands(c.validation[1]) << " | " << thousands(c.test[1]) << " | "
      << thousands(c.meta_eligible) << " |\n";
  return o.str();
}

std::string cutoff_scan_json(const std::vector<CutoffCandidate>& scan) {
  std::ostringstream o;
  o << "[";
  for (size_t k = 0; k < scan.size(); ++k) {
    const CutoffCandidate& c = scan[k];
    o << (k ? ",\n " : "\n ") << "{\"cutoff\": " << json_string(format_date(c.time)) << ", \"unix\": " << c.time
      << ", \"train_fraction\": " << json_number(c.train_fraction) << ", \"casual_valid\": " << c.validation[0]
      << ", \"casual_test\": " << c.test[0] << ", \"core_valid\": " << c.validation[1]
      << ", \"core_test\": " << c.test[1] << ", \"meta_eligible\": " << c.meta_eligible << "}";
  }
  o << "\n]";
  return o.str();
}

}  // namespace l2::app
