// Strict little parsers shared by the loaders (Section 5.1 data): splitting a line into fields,
// integers and times that must fill the whole field, trimming. Nothing here throws or allocates:
// each function reports failure to its caller, which knows the file and line to name.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace l2::recsys {

// Interaction times are unix seconds, UTC. Anything outside [1970-01-01, 2100-01-01) is rejected
// as out of range: it is almost always a unit mistake (milliseconds) or a corrupt field.
inline constexpr std::int64_t kMinTime = 0;
inline constexpr std::int64_t kMaxTime = 4102444800;

std::string_view trim(std::string_view s);  // without leading/trailing spaces, tabs, CR, LF
bool is_blank(std::string_view s);

// Splits `line` at every occurrence of `delim` (one or more characters, e.g. "::").
void split_fields(std::string_view line, std::string_view delim, std::vector<std::string_view>& out);
// Splits at runs of spaces and tabs, ignoring leading and trailing ones.
void split_whitespace(std::string_view line, std::vector<std::string_view>& out);
// Splits a CSV-like line at `delim`, honouring double quotes around a field ("a,b" is one field;
// the quotes are stripped, a doubled "" inside stays doubled: raw ids never contain quotes).
// Returns false on an unterminated quote.
bool split_quoted(std::string_view line, char delim, std::vector<std::string_view>& out);

// The whole of `s` as a base-10 integer (optional sign). False on anything else or overflow.
bool parse_int64(std::string_view s, std::int64_t& out);
// The whole of `s` as a finite decimal number.
bool parse_double(std::string_view s, double& out);

// A time field: unix seconds as an integer or a decimal ("881250949", "881250949.0"; a fraction
// is truncated), or a UTC date "YYYY-MM-DD" / date-time "YYYY-MM-DD HH:MM:SS" (also with 'T' and a
// trailing 'Z'). Returns "" on success, otherwise what is wrong (non-numeric, out of range).
std::string parse_time_value(std::string_view s, std::int64_t& out);

// The shortest decimal text that reads back as exactly `v` ("0.1", "30", "1e-05").
std::string format_number(double v);

// `s` in lower case (ASCII).
std::string lower(std::string_view s);

// Text from a data file made safe to quote in a message: printable ASCII and valid UTF-8 stay as
// they are ("café"); every other byte (control characters such as NUL, tab, CR or ESC, DEL, the C1
// controls U+0080..U+009F, invalid UTF-8) is written as \xNN, so that a NUL cannot cut the
// terminal line that reports it and an escape sequence cannot rewrite it. Only the first
// `max_bytes` bytes of `s` are shown, followed by "..." when there are more. Every message that
// quotes a line, a field or an id read from a file goes through this.
std::string escape_text(std::string_view s, std::size_t max_bytes = 200);

}  // namespace l2::recsys
