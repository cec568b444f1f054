// A minimal reader for JSON lines, the format of the Amazon (2014, 2018) and Goodreads review and
// interaction dumps: it pulls a few named top-level fields out of one object per line and skips
// everything else (nested objects, arrays, long review texts) without building a document. Strings
// may also be single-quoted, as in the Python-literal lines of some 2014 Amazon files.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace l2::recsys {

struct JsonField {
  std::string_view key;    // in: the top-level field to read
  bool found = false;      // out
  bool is_string = false;  // out: the value was a string (else a number, true, false or null)
  std::string value;       // out: the unescaped string, or the literal's text ("1252800000", "null")
};

// Fills `fields` from the object on `line`. Returns "" on success, otherwise the first syntax error
// with its column ("column 17: expected ':'"). A field absent from the object keeps found = false.
std::string extract_json_fields(std::string_view line, std::span<JsonField> fields);

}  // namespace l2::recsys
