// A small command-line parser: each command declares its options once, which gives both the
// parsing and the --help text. Unknown options, missing values and malformed numbers are
// errors that name the option (l2::UsageError), so a typo never silently runs the default.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "tensor/check.h"

namespace l2::app {

struct UsageError : Error {
  using Error::Error;
};

class Args;

class Command {
 public:
  Command(std::string name, std::string summary);

  // --name VALUE (also --name=VALUE). An empty default means "not set unless given".
  Command& option(const std::string& name, const std::string& value_name, const std::string& help,
                  const std::string& default_value = "");
  // --name VALUE, may be given several times (e.g. --set key=value).
  Command& repeated(const std::string& name, const std::string& value_name, const std::string& help);
  // --name, no value.
  Command& flag(const std::string& name, const std::string& help);
  // A positional argument, in declaration order.
  Command& positional(const std::string& name, const std::string& help, bool required = true);
  // Text printed after the options (e.g. the settings --set takes).
  Command& notes(std::string text) {
    notes_ = std::move(text);
    return *this;
  }
  // The last positional may be given several times (e.g. several folders).
  Command& variadic() {
    variadic_ = true;
    return *this;
  }

  // Parses argv[first..argc). Throws UsageError on any problem. "--help" sets Args::help_requested.
  Args parse(int argc, const char* const* argv, int first) const;
  std::string help() const;
  const std::string& name() const { return name_; }

 private:
  struct Spec {
    std::string name, value_name, help, default_value;
    enum Kind { Value, Repeated, Flag } kind = Value;
  };
  struct Positional {
    std::string name, help;
    bool required = true;
  };
  const Spec* find(const std::string& name) const;

  std::string name_, summary_, notes_;
  std::vector<Spec> specs_;
  std::vector<Positional> positionals_;
  bool variadic_ = false;
};

class Args {
 public:
  bool help_requested = false;

  bool has(const std::string& name) const;  // given on the command line, or has a default
  bool flag(const std::string& name) const;
  std::string get(const std::string& name) const;  // throws if neither given nor defaulted
  std::string get_or(const std::string& name, const std::string& fallback) const;
  std::int64_t get_int(const std::string& name) const;
  double get_double(const std::string& name) const;
  std::vector<std::string> all(const std::string& name) const;  // repeated option values
  const std::vector<std::string>& positionals() const { return positionals_; }
  std::string positional(size_t i) const;

 private:
  friend class Command;
  std::string command_;
  std::map<std::string, std::vector<std::string>> values_;
  std::map<std::string, bool> flags_;
  std::vector<std::string> positionals_;
};

// Strict number parsing for option values and config files: the whole string must be a number.
std::int64_t parse_int(const std::string& text, const std::string& what);
double parse_double(const std::string& text, const std::string& what);

}  // namespace l2::app
