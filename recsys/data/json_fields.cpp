#include "recsys/data/json_fields.h"

#include <cstdint>

namespace l2::recsys {

namespace {

// A cursor over one line; every parse_* leaves pos_ after what it read or sets error_.
class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  bool at_end() const { return pos_ >= s_.size(); }
  char peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
  void skip_space() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\r' || s_[pos_] == '\n')) ++pos_;
  }
  bool expect(char c) {
    skip_space();
    if (peek() != c) return fail(std::string("expected '") + c + "'");
    ++pos_;
    return true;
  }
  bool fail(const std::string& what) {
    if (error_.empty()) error_ = "column " + std::to_string(pos_ + 1) + ": " + what;
    return false;
  }

  // A quoted string; its unescaped text goes to *out when out is not null.
  bool parse_string(std::string* out) {
    const char quote = peek();
    if (quote != '"' && quote != '\'') return fail("expected a string");
    ++pos_;
    while (pos_ < s_.size()) {
      const char c = s_[pos_++];
      if (c == quote) return true;
      if (c != '\\') {
        if (out) out->push_back(c);
        continue;
      }
      if (pos_ >= s_.size()) break;
      const char e = s_[pos_++];
      if (e == 'u') {
        std::uint32_t cp = 0;
        if (!hex4(cp)) return fail("bad \\u escape");
        if (cp >= 0xD800 && cp <= 0xDBFF && pos_ + 1 < s_.size() && s_[pos_] == '\\' && s_[pos_ + 1] == 'u') {
          pos_ += 2;  // a surrogate pair
          std::uint32_t lo = 0;
          if (!hex4(lo)) return fail("bad \\u escape");
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        }
        if (out) append_utf8(*out, cp);
        continue;
      }
      char r = e;
      switch (e) {
        case 'n':
          r = '\n';
          break;
        case 't':
          r = '\t';
          break;
        case 'r':
          r = '\r';
          break;
        case 'b':
          r = '\b';
          break;
        case 'f':
          r = '\f';
          break;
        default:
          break;  // \" \' \\ \/ stand for themselves
      }
      if (out) out->push_back(r);
    }
    return fail("unterminated string");
  }

  // A number or true/false/null: its text, up to the next delimiter.
  bool parse_literal(std::string* out) {
    const std::size_t begin = pos_;
    while (pos_ < s_.size()) {
      const char c = s_[pos_];
      if (c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\r' || c == '\n') break;
      ++pos_;
    }
    if (pos_ == begin) return fail("expected a value");
    if (out) out->assign(s_.substr(begin, pos_ - begin));
    return true;
  }

  // Any value, not kept: strings, literals, and nested objects or arrays (with strings inside).
  bool skip_value() {
    skip_space();
    const char c = peek();
    if (c == '"' || c == '\'') return parse_string(nullptr);
    if (c != '{' && c != '[') return parse_literal(nullptr);
    int depth = 0;
    while (pos_ < s_.size()) {
      const char d = s_[pos_];
      if (d == '"' || d == '\'') {
        if (!parse_string(nullptr)) return false;
        continue;
      }
      ++pos_;
      if (d == '{' || d == '[') ++depth;
      if (d == '}' || d == ']') {
        if (--depth == 0) return true;
      }
    }
    return fail("unterminated object or array");
  }

 private:
  bool hex4(std::uint32_t& v) {
    if (pos_ + 4 > s_.size()) return false;
    v = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = s_[pos_++];
      v <<= 4;
      if (c >= '0' && c <= '9')
        v |= std::uint32_t(c - '0');
      else if (c >= 'a' && c <= 'f')
        v |= std::uint32_t(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        v |= std::uint32_t(c - 'A' + 10);
      else
        return false;
    }
    return true;
  }
  static void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
      out.push_back(char(cp));
    } else if (cp < 0x800) {
      out.push_back(char(0xC0 | (cp >> 6)));
      out.push_back(char(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(char(0xE0 | (cp >> 12)));
      out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(char(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(char(0xF0 | (cp >> 18)));
      out.push_back(char(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(char(0x80 | (cp & 0x3F)));
    }
  }

  std::string_view s_;
  std::size_t pos_ = 0;
  std::string error_;
};

}  // namespace

std::string extract_json_fields(std::string_view line, std::span<JsonField> fields) {
  for (JsonField& f : fields) {
    f.found = false;
    f.is_string = false;
    f.value.clear();
  }
  Scanner s(line);
  if (!s.expect('{')) return s.error();
  s.skip_space();
  if (s.peek() == '}') {
    s.expect('}');
  } else {
    std::string key;
    while (true) {
      s.skip_space();
      key.clear();
      if (!s.parse_string(&key) || !s.expect(':')) return s.error();
      JsonField* wanted = nullptr;
      for (JsonField& f : fields)
        if (f.key == key) wanted = &f;
      s.skip_space();
      if (wanted) {
        wanted->value.clear();
        wanted->is_string = s.peek() == '"' || s.peek() == '\'';
        if (s.peek() == '{' || s.peek() == '[') {
          if (!s.skip_value()) return s.error();
          wanted->value = "<object>";
        } else if (!(wanted->is_string ? s.parse_string(&wanted->value) : s.parse_literal(&wanted->value))) {
          return s.error();
        }
        wanted->found = true;
      } else if (!s.skip_value()) {
        return s.error();
      }
      s.skip_space();
      if (s.peek() == ',') {
        s.expect(',');
        continue;
      }
      if (!s.expect('}')) return s.error();
      break;
    }
  }
  s.skip_space();
  if (!s.at_end()) {
    s.fail("text after the end of the object");
    return s.error();
  }
  return {};
}

}  // namespace l2::recsys
