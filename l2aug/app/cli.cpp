#include "l2aug/app/cli.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>

namespace l2::app {

std::int64_t parse_int(const std::string& text, const std::string& what) {
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || end != text.c_str() + text.size() || errno == ERANGE)
    throw UsageError(what + ": expected an integer, got '" + text + "'");
  return v;
}

double parse_double(const std::string& text, const std::string& what) {
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || errno == ERANGE || !std::isfinite(v))
    throw UsageError(what + ": expected a number, got '" + text + "'");
  return v;
}

Command::Command(std::string name, std::string summary) : name_(std::move(name)), summary_(std::move(summary)) {}

Command& Command::option(const std::string& name, const std::string& value_name, const std::string& help,
                         const std::string& default_value) {
  specs_.push_back({name, value_name, help, default_value, Spec::Value});
  return *this;
}

Command& Command::repeated(const std::string& name, const std::string& value_name, const std::string& help) {
  specs_.push_back({name, value_name, help, "", Spec::Repeated});
  return *this;
}

Command& Command::flag(const std::string& name, const std::string& help) {
  specs_.push_back({name, "", help, "", Spec::Flag});
  return *this;
}

Command& Command::positional(const std::string& name, const std::string& help, bool required) {
  positionals_.push_back({name, help, required});
  return *this;
}

const Command::Spec* Command::find(const std::string& name) const {
  for (const Spec& s : specs_)
    if (s.name == name) return &s;
  return nullptr;
}

Args Command::parse(int argc, const char* const* argv, int first) const {
  Args args;
  args.command_ = name_;
  for (const Spec& s : specs_)
    if (s.kind == Spec::Value && !s.default_value.empty()) args.values_[s.name] = {s.default_value};
  std::map<std::string, bool> given;
  for (int i = first; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      args.help_requested = true;
      continue;
    }
    if (a.size() > 2 && a.rfind("--", 0) == 0) {
      std::string key = a.substr(2), value;
      bool inline_value = false;
      if (auto eq = key.find('='); eq != std::string::npos) {
        value = key.substr(eq + 1);
        key = key.substr(0, eq);
        inline_value = true;
      }
      const Spec* s = find(key);
      if (!s) throw UsageError(name_ + ": unknown option --" + key + " (see '" + name_ + " --help')");
      if (s->kind == Spec::Flag) {
        if (inline_value) throw UsageError(name_ + ": option --" + key + " takes no value");
        args.flags_[key] = true;
        continue;
      }
      if (!inline_value) {
        if (i + 1 >= argc) throw UsageError(name_ + ": option --" + key + " needs a value <" + s->value_name + ">");
        value = argv[++i];
      }
      if (s->kind == Spec::Value) {
        if (given[key]) throw UsageError(name_ + ": option --" + key + " given twice");
        args.values_[key] = {value};
      } else {
        args.values_[key].push_back(value);
      }
      given[key] = true;
      continue;
    }
    if (a.size() > 1 && a[0] == '-' && !(a.size() > 1 && (std::isdigit(static_cast<unsigned char>(a[1])) || a[1] == '.')))
      throw UsageError(name_ + ": unknown option " + a + " (options are spelled --name)");
    args.positionals_.push_back(a);
  }
  if (args.help_requested) return args;
  if (!variadic_ && args.positionals_.size() > positionals_.size())
    throw UsageError(name_ + ": unexpected argument '" + args.positionals_[positionals_.size()] + "'");
  for (size_t k = args.positionals_.size(); k < positionals_.size(); ++k)
    if (positionals_[k].required) throw UsageError(name_ + ": missing argument <" + positionals_[k].name + ">");
  return args;
}

std::string Command::help() const {
  std::ostringstream os;
  os << "usage: l2aug " << name_;
  for (const Positional& p : positionals_) os << (p.required ? " <" : " [<") << p.name << (p.required ? ">" : ">]");
  if (variadic_) os << " ...";
  if (!specs_.empty()) os << " [options]";
  os << "\n\n" << summary_ << "\n";
  if (!positionals_.empty()) {
    os << "\narguments:\n";
    for (const Positional& p : positionals_) os << "  <" << p.name << ">\n      " << p.help << "\n";
  }
  os << "\noptions:\n";
  for (const Spec& s : specs_) {
    os << "  --" << s.name;
    if (s.kind != Spec::Flag) os << " <" << s.value_name << ">";
    if (s.kind == Spec::Repeated) os << " (repeatable)";
    os << "\n      " << s.help;
    if (!s.default_value.empty()) os << " [default: " << s.default_value << "]";
    os << "\n";
  }
  os << "  --help\n      show this help\n" << notes_;
  return os.str();
}

bool Args::has(const std::string& name) const { return values_.count(name) > 0 || flag(name); }

bool Args::flag(const std::string& name) const {
  auto it = flags_.find(name);
  return it != flags_.end() && it->second;
}

std::string Args::get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end() || it->second.empty()) throw UsageError(command_ + ": option --" + name + " is required");
  return it->second.back();
}

std::string Args::get_or(const std::string& name, const std::string& fallback) const {
  auto it = values_.find(name);
  return it == values_.end() || it->second.empty() ? fallback : it->second.back();
}

std::int64_t Args::get_int(const std::string& name) const { return parse_int(get(name), "--" + name); }

double Args::get_double(const std::string& name) const { return parse_double(get(name), "--" + name); }

std::vector<std::string> Args::all(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

std::string Args::positional(size_t i) const {
  if (i >= positionals_.size()) throw UsageError(command_ + ": missing argument " + std::to_string(i + 1));
  return positionals_[i];
}

}  // namespace l2::app
