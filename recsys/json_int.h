// Integer settings read from JSON files (model, training, treatment and experiment settings).
// nlohmann's get<std::int64_t>() converts a floating-point value with a plain cast, which is
// undefined behaviour when the value does not fit (`"dim": 1e30`, found by tests/fuzz) and silently
// truncates 2.5 to 2. Here an integer setting must be an integer in the type's range; 1e3 and 64.0
// are accepted, being integers written as decimals.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace l2::recsys {

// Throws nlohmann::json::type_error (which the settings readers turn into an error naming the
// setting) unless `v` is an integer that Int can hold.
template <class Int>
Int json_int(const nlohmann::json& v) {
  using Limits = std::numeric_limits<Int>;
  const auto fail = [&] {
    return nlohmann::json::type_error::create(
        302, "expected an integer in [" + std::to_string(Limits::min()) + ", " + std::to_string(Limits::max()) +
                 "], got " + v.dump(),
        nullptr);
  };
  if (v.is_number_unsigned()) {
    if (v.get<std::uint64_t>() > std::uint64_t(Limits::max())) throw fail();
  } else if (v.is_number_integer()) {
    const std::int64_t i = v.get<std::int64_t>();
    if (i < 0 ? !Limits::is_signed || i < std::int64_t(Limits::min()) : std::uint64_t(i) > std::uint64_t(Limits::max()))
      throw fail();
  } else if (v.is_number_float()) {
    // Both bounds as doubles: max() + 1 is a power of two, so exact; a value below it fits.
    const double d = v.get<double>(), lo = double(Limits::min()), hi = 2.0 * double(Limits::max() / 2 + 1);
    if (!(d >= lo && d < hi && std::trunc(d) == d)) throw fail();
    return Int(d);
  }
  return v.get<Int>();  // a string, a boolean, ...: nlohmann's own type error
}

template <class Int>
std::vector<Int> json_ints(const nlohmann::json& v) {
  if (!v.is_array()) return v.get<std::vector<Int>>();  // nlohmann's own type error
  std::vector<Int> out;
  for (const auto& x : v) out.push_back(json_int<Int>(x));
  return out;
}

}  // namespace l2::recsys
