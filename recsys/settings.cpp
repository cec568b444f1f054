#include "recsys/settings.h"

#include <sstream>
#include <type_traits>

#include "recsys/json_int.h"
#include "tensor/check.h"

namespace l2::recsys {

namespace {

// The value as the help text and error messages print it: numbers as C++ streams them (0.001,
// 1e-08), lists comma-separated, a custom setting as its JSON text without quotes.
std::string value_text(const SettingField& field) {
  std::ostringstream os;
  std::visit(
      [&](const auto& f) {
        using F = std::decay_t<decltype(f)>;
        if constexpr (std::is_same_v<F, CustomField>) {
          const nlohmann::json j = f.write();
          os << (j.is_string() ? j.get<std::string>() : j.dump());
        } else if constexpr (std::is_same_v<F, std::vector<std::int64_t>*>) {
          for (size_t i = 0; i < f->size(); ++i) os << (i ? "," : "") << (*f)[i];
        } else if constexpr (std::is_same_v<F, bool*>) {
          os << (*f ? "true" : "false");
        } else {
          os << *f;
        }
      },
      field);
  return os.str();
}

std::string choices_text(const std::vector<std::string>& choices) {
  std::string s;
  for (size_t i = 0; i < choices.size(); ++i)
    s += (i == 0 ? "" : i + 1 == choices.size() ? " or " : ", ") + choices[i];
  return s;
}

const char* limit_text(Limit l) {
  switch (l) {
    case Limit::any: return "";
    case Limit::positive: return "positive";
    case Limit::non_negative: return ">= 0";
    case Limit::fraction: return "in [0, 1)";
  }
  return "";
}

bool within(double v, Limit l) {
  switch (l) {
    case Limit::any: return true;
    case Limit::positive: return v > 0;
    case Limit::non_negative: return v >= 0;
    case Limit::fraction: return v >= 0 && v < 1;
  }
  return true;
}

// The first element of a numeric setting outside its limit, as text; empty when all are within.
std::string outside_limit(const SettingEntry& s) {
  std::string bad;
  std::visit(
      [&](const auto& f) {
        using F = std::decay_t<decltype(f)>;
        if constexpr (std::is_same_v<F, std::vector<std::int64_t>*>) {
          for (std::int64_t x : *f)
            if (bad.empty() && !within(double(x), s.limit)) bad = std::to_string(x);
        } else if constexpr (std::is_arithmetic_v<std::remove_pointer_t<F>> && !std::is_same_v<F, bool*>) {
          if (!within(double(*f), s.limit)) bad = value_text(s.field);
        }
      },
      s.field);
  return bad;
}

const SettingEntry* find_setting(const SettingsTable& table, const std::string& key) {
  for (const SettingEntry& s : table)
    if (s.key == key) return &s;
  return nullptr;
}

}  // namespace

void apply_settings(const SettingsTable& table, const nlohmann::json& j, const std::string& what,
                    const std::string& unknown) {
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& k = it.key();
    const nlohmann::json& v = it.value();
    const SettingEntry* s = find_setting(table, k);
    if (!s) L2_FAIL((unknown.empty() ? std::string("unknown ") + what + " setting " : unknown) << "'" << k << "'");
    try {
      std::visit(
          [&](const auto& f) {
            using F = std::decay_t<decltype(f)>;
            if constexpr (std::is_same_v<F, CustomField>) f.read(v);
            else if constexpr (std::is_same_v<F, std::vector<std::int64_t>*>) *f = json_ints<std::int64_t>(v);
            else if constexpr (std::is_integral_v<std::remove_pointer_t<F>> && !std::is_same_v<F, bool*>)
              *f = json_int<std::remove_pointer_t<F>>(v);
            else *f = v.get<std::remove_pointer_t<F>>();
          },
          s->field);
    } catch (const nlohmann::json::exception& e) {
      L2_FAIL(what << " setting '" << k << "': " << e.what());
    }
  }
}

nlohmann::json settings_json(const SettingsTable& table) {
  nlohmann::json j = nlohmann::json::object();
  for (const SettingEntry& s : table)
    std::visit(
        [&](const auto& f) {
          if constexpr (std::is_same_v<std::decay_t<decltype(f)>, CustomField>) j[s.key] = f.write();
          else j[s.key] = *f;
        },
        s.field);
  return j;
}

void check_settings(const SettingsTable& table, const std::string& what) {
  for (const SettingEntry& s : table) {
    const std::string bad = outside_limit(s);
    L2_CHECK(bad.empty(), what << " setting '" << s.key << "' must be " << limit_text(s.limit) << ", got " << bad);
    if (s.choices.empty()) continue;
    const std::string value = value_text(s.field);
    bool ok = false;
    for (const std::string& c : s.choices) ok = ok || c == value;
    L2_CHECK(ok, what << " setting '" << s.key << "' must be " << choices_text(s.choices) << ", got '" << value << "'");
  }
}

std::string settings_help(const SettingsTable& table, const std::string& title) {
  std::ostringstream os;
  os << title << ":\n";
  for (const SettingEntry& s : table) {
    os << "  " << s.key << "\n      " << s.help << " [default: " << value_text(s.field);
    if (s.limit != Limit::any) os << "; " << limit_text(s.limit);
    for (size_t i = 0; i < s.choices.size(); ++i) os << (i == 0 ? "; " : "|") << s.choices[i];
    os << "]\n";
  }
  return os.str();
}

nlohmann::json setting_value(const std::string& text) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception&) {
    return text;  // a bare word
  }
}

}  // namespace l2::recsys
