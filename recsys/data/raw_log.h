// The interactions as read from a file, before any processing (Section 5.1: "all the items the user
// has interacted with form the user interaction sequence"): raw id strings interned to small
// integers in order of first appearance, and one (user, item, time) row per accepted line, in file
// order. Every loader produces a RawLog; build_dataset (dataset.h) turns it into dense sequences.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace l2::recsys {

// What a loader saw. Kept in the Dataset (and its cache), so that a run reading from the cache
// still reports how many lines were skipped.
struct LoadReport {
  std::int64_t lines = 0;     // data lines read (headers and blank lines excluded)
  std::int64_t rows = 0;      // interactions accepted
  std::int64_t skipped = 0;   // malformed lines skipped under --skip-malformed
  std::string first_skipped;  // the message of the first skipped line

  template <class Archive>
  void serialize(Archive& ar) {
    ar(lines, rows, skipped, first_skipped);
  }
};

// Maps strings to 0, 1, 2, ... in order of first appearance.
class Interner {
 public:
  std::int32_t intern(std::string_view s);
  std::int32_t size() const { return static_cast<std::int32_t>(names_.size()); }
  const std::vector<std::string>& names() const { return names_; }

 private:
  // Transparent hashing: look-ups take a string_view without building a std::string.
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  std::unordered_map<std::string, std::int32_t, Hash, std::equal_to<>> index_;
  std::vector<std::string> names_;
};

struct RawLog {
  std::string name;    // the dataset key ("ml-100k", "beauty", ...) that selects a default cutoff
  std::string source;  // what was read, for reports ("paired: a.txt + b.txt")
  Interner users, items;
  std::vector<std::int32_t> user, item;  // per row: index into users/items
  std::vector<std::int64_t> time;        // per row: unix seconds, UTC
  LoadReport report;

  void add(std::string_view user_id, std::string_view item_id, std::int64_t t);
  std::int64_t size() const { return static_cast<std::int64_t>(time.size()); }
};

}  // namespace l2::recsys
