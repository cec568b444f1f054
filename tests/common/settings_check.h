// Checks of a settings table (recsys/settings.h): every key read back from the JSON written gives
// the same configuration, and each key reads and writes a member of its own.
#pragma once

#include <boost/test/unit_test.hpp>
#include <type_traits>

#include "recsys/settings.h"

namespace l2::test {

// Gives every setting another valid value: integers grow by one, non-zero reals halve (staying
// within any limit), zero reals become 0.25, booleans flip, lists grow, a setting with choices
// takes the next one. Strings without choices (e.g. a criterion) and custom settings without
// choices keep their value.
inline void change_every_setting(const recsys::SettingsTable& table) {
  for (const recsys::SettingEntry& s : table) {
    std::string next;
    for (size_t i = 0; i < s.choices.size(); ++i)
      if (recsys::settings_json({s})[s.key] == s.choices[i]) next = s.choices[(i + 1) % s.choices.size()];
    std::visit(
        [&](const auto& f) {
          using F = std::decay_t<decltype(f)>;
          if constexpr (std::is_same_v<F, recsys::CustomField>) {
            if (!next.empty()) f.read(next);
          } else if constexpr (std::is_same_v<F, std::string*>) {
            if (!next.empty()) *f = next;
          } else if constexpr (std::is_same_v<F, bool*>) {
            *f = !*f;
          } else if constexpr (std::is_same_v<F, std::vector<std::int64_t>*>) {
            f->push_back(1);
          } else if constexpr (std::is_integral_v<std::remove_pointer_t<F>>) {
            *f += 1;
          } else {
            *f = *f == 0 ? 0.25 : *f / 2;
          }
        },
        s.field);
  }
}

// `config` with every setting changed, written by to_json and read back by `read` (JSON ->
// Config), gives the same JSON; and every key changed but the ones change_every_setting keeps.
template <class Config, class Read>
void check_round_trip(Config config, Read read) {
  const nlohmann::json before = recsys::settings_json(config.settings());
  change_every_setting(config.settings());
  const nlohmann::json after = recsys::settings_json(config.settings());
  BOOST_TEST(read(config.to_json()).to_json() == config.to_json(), config.to_json().dump());
  for (const recsys::SettingEntry& s : config.settings()) {
    const bool kept = s.choices.empty() && (std::holds_alternative<std::string*>(s.field) ||
                                            std::holds_alternative<recsys::CustomField>(s.field));
    if (!kept) BOOST_TEST(before.at(s.key) != after.at(s.key), s.key);
  }
}

}  // namespace l2::test
