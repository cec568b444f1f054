// Settings tables: each settings struct (model, training, treatments, L2Aug) lists its keys once,
// each with the member it sets, its meaning and its range, and the functions here read JSON into
// it, write it as JSON, check the ranges and print the --help text from that one list. A table is
// built over one object (the entries point at its members), so nested members need no special
// case and the values shown as defaults are that object's.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace l2::recsys {

// A setting whose JSON form is not its member's (an enum by name, a list written as text).
struct CustomField {
  std::function<nlohmann::json()> write;
  std::function<void(const nlohmann::json&)> read;
};

// Integers are read through json_int (an integer in the member's range), lists of integers
// through json_ints; the other types as nlohmann converts them.
using SettingField = std::variant<int*, std::int64_t*, std::uint64_t*, float*, double*, bool*, std::string*,
                                  std::vector<std::int64_t>*, CustomField>;

// The range a value must lie in, checked after every key of a JSON object is applied (a list's
// limit holds for each element).
enum class Limit { any, positive, non_negative, fraction /* [0, 1) */ };

struct SettingEntry {
  std::string key;
  SettingField field;
  std::string help;
  Limit limit = Limit::any;
  std::vector<std::string> choices = {};  // a string setting: its only valid values
};

using SettingsTable = std::vector<SettingEntry>;

// Applies the keys of a JSON object. `what` names the settings in errors ("training": "unknown
// training setting 'x'", "training setting 'lr': <type error>"); `unknown` replaces the message
// prefix of an unknown key when given ("treatment 'random' has no setting ").
void apply_settings(const SettingsTable& table, const nlohmann::json& j, const std::string& what,
                    const std::string& unknown = "");
nlohmann::json settings_json(const SettingsTable& table);
// Throws for the first value outside its limit or choices: "training setting 'lr' must be
// positive, got 0".
void check_settings(const SettingsTable& table, const std::string& what);
// One line a key: "  key  meaning [default; range]", under `title`.
std::string settings_help(const SettingsTable& table, const std::string& title);

// A --set value: JSON when it parses (numbers, lists, quoted strings), else a bare word as a string.
nlohmann::json setting_value(const std::string& text);

}  // namespace l2::recsys
