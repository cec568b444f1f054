#include "recsys/data/text.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "recsys/data/dates.h"

namespace l2::recsys {

namespace {
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
}  // namespace

std::string_view trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && is_space(s[b])) ++b;
  while (e > b && is_space(s[e - 1])) --e;
  return s.substr(b, e - b);
}

bool is_blank(std::string_view s) { return trim(s).empty(); }

void split_fields(std::string_view line, std::string_view delim, std::vector<std::string_view>& out) {
  out.clear();
  size_t begin = 0;
  while (true) {
    const size_t at = line.find(delim, begin);
    if (at == std::string_view::npos) {
      out.push_back(line.substr(begin));
      return;
    }
    out.push_back(line.substr(begin, at - begin));
    begin = at + delim.size();
  }
}

void split_whitespace(std::string_view line, std::vector<std::string_view>& out) {
  out.clear();
  size_t i = 0;
  const size_t n = line.size();
  while (i < n) {
    while (i < n && (line[i] == ' ' || line[i] == '\t')) ++i;
    const size_t begin = i;
    while (i < n && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > begin) out.push_back(line.substr(begin, i - begin));
  }
}

bool split_quoted(std::string_view line, char delim, std::vector<std::string_view>& out) {
  out.clear();
  size_t i = 0;
  const size_t n = line.size();
  while (true) {
    if (i < n && line[i] == '"') {
      const size_t begin = ++i;
      while (true) {  // find the closing quote; "" is an escaped quote
        if (i >= n) return false;
        if (line[i] == '"') {
          if (i + 1 < n && line[i + 1] == '"') {
            i += 2;
            continue;
          }
          break;
        }
        ++i;
      }
      out.push_back(line.substr(begin, i - begin));
      ++i;                                          // past the closing quote
      if (i < n && line[i] != delim) return false;  // text after the closing quote
    } else {
      const size_t begin = i;
      while (i < n && line[i] != delim) ++i;
      out.push_back(line.substr(begin, i - begin));
    }
    if (i >= n) return true;
    ++i;           // past the delimiter
    if (i == n) {  // a trailing delimiter leaves one empty field
      out.push_back(std::string_view());
      return true;
    }
  }
}

bool parse_int64(std::string_view s, std::int64_t& out) {
  if (s.empty()) return false;
  const char* b = s.data();
  const char* e = b + s.size();
  if (*b == '+') ++b;  // from_chars accepts '-' but not '+'
  const auto [ptr, ec] = std::from_chars(b, e, out);
  return ec == std::errc() && ptr == e && b != e;
}

bool parse_double(std::string_view s, double& out) {
  if (s.empty()) return false;
  const char* b = s.data();
  const char* e = b + s.size();
  if (*b == '+') ++b;
  const auto [ptr, ec] = std::from_chars(b, e, out);
  return ec == std::errc() && ptr == e && b != e && std::isfinite(out);
}

std::string parse_time_value(std::string_view s, std::int64_t& out) {
  s = trim(s);
  if (s.empty()) return "empty time";
  std::int64_t t = 0;
  if (!parse_int64(s, t)) {
    double d = 0.0;
    if (parse_double(s, d)) {
      if (!(d >= double(kMinTime) && d < double(kMaxTime)))
        return "time " + escape_text(s) + " out of range (unix seconds 1970..2100; milliseconds?)";
      t = static_cast<std::int64_t>(std::floor(d));
    } else if (!parse_iso_datetime(s, t)) {
      return "time '" + escape_text(s) + "' is neither unix seconds nor a date YYYY-MM-DD[ HH:MM:SS]";
    }
  }
  if (t < kMinTime || t >= kMaxTime)
    return "time " + escape_text(s) + " out of range (unix seconds 1970..2100; milliseconds?)";
  out = t;
  return {};
}

std::string format_number(double v) {
  char buf[64];
  const auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, ptr) : std::string("nan");
}

std::string lower(std::string_view s) {
  std::string r(s);
  for (char& c : r)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return r;
}

namespace {
// The length of the valid UTF-8 sequence at s[i] (2..4 bytes, not a C1 control), or 0. The ranges
// are RFC 3629's: no overlong forms, no surrogates, nothing above U+10FFFF.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return k < s.size() ? static_cast<unsigned char>(s[k]) : 0u; };
  const auto in = [](unsigned c, unsigned lo, unsigned hi) { return c >= lo && c <= hi; };
  const unsigned b0 = byte(i), b1 = byte(i + 1), b2 = byte(i + 2), b3 = byte(i + 3);
  if (b0 == 0xC2) return in(b1, 0xA0, 0xBF) ? 2 : 0;  // C2 80..C2 9F are the C1 controls
  if (in(b0, 0xC3, 0xDF)) return in(b1, 0x80, 0xBF) ? 2 : 0;
  if (in(b0, 0xE0, 0xEF)) {
    const unsigned lo = b0 == 0xE0 ? 0xA0 : 0x80, hi = b0 == 0xED ? 0x9F : 0xBF;
    return in(b1, lo, hi) && in(b2, 0x80, 0xBF) ? 3 : 0;
  }
  if (in(b0, 0xF0, 0xF4)) {
    const unsigned lo = b0 == 0xF0 ? 0x90 : 0x80, hi = b0 == 0xF4 ? 0x8F : 0xBF;
    return in(b1, lo, hi) && in(b2, 0x80, 0xBF) && in(b3, 0x80, 0xBF) ? 4 : 0;
  }
  return 0;
}
}  // namespace

std::string escape_text(std::string_view s, std::size_t max_bytes) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(std::min(s.size(), max_bytes) + 8);
  std::size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c >= 0x20 && c < 0x7F ? 1 : utf8_sequence(s, i);
    if (i + std::max<std::size_t>(n, 1) > max_bytes) break;  // never cut a character in two
    if (n > 0) {
      out.append(s.substr(i, n));
      i += n;
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
      ++i;
    }
  }
  if (i < s.size()) out += "...";
  return out;
}

}  // namespace l2::recsys
