#include "nn/state_dict.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace l2::nn {

const std::string& StateDict::get(const std::string& key) const {
  auto it = values.find(key);
  L2_CHECK(it != values.end(), "checkpoint: missing entry '" << key << "'");
  return it->second;
}

std::int64_t StateDict::get_int(const std::string& key) const {
  const std::string& s = get(key);
  char* end = nullptr;
  errno = 0;
  const long long v = std::strtoll(s.c_str(), &end, 10);
  L2_CHECK(!s.empty() && *end == '\0' && errno == 0, "checkpoint: entry '" << key << "' is not an integer: '" << s << "'");
  return v;
}

std::uint64_t StateDict::get_u64(const std::string& key) const {
  const std::string& s = get(key);
  char* end = nullptr;
  errno = 0;
  const unsigned long long v = std::strtoull(s.c_str(), &end, 10);
  L2_CHECK(!s.empty() && *end == '\0' && errno == 0, "checkpoint: entry '" << key << "' is not an integer: '" << s << "'");
  return v;
}

void StateDict::set_double(const std::string& key, double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);  // 17 digits identify every double (Note [Exact doubles])
  values[key] = buf;
}

double StateDict::get_double(const std::string& key) const {
  const std::string& s = get(key);
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(s.c_str(), &end);
  // ERANGE on an underflow still returns the nearest (denormal or zero) value, which is what was written.
  L2_CHECK(!s.empty() && *end == '\0' && (errno == 0 || (errno == ERANGE && std::fabs(v) < 1.0)),
           "checkpoint: entry '" << key << "' is not a number: '" << s << "'");
  return v;
}

const Tensor& StateDict::tensor(const std::string& key) const {
  auto it = tensors.find(key);
  L2_CHECK(it != tensors.end(), "checkpoint: missing tensor '" << key << "'");
  return it->second;
}

const IndexTensor& StateDict::index(const std::string& key) const {
  auto it = indices.find(key);
  L2_CHECK(it != indices.end(), "checkpoint: missing index array '" << key << "'");
  return it->second;
}

void StateDict::merge(const std::string& prefix, const StateDict& other) {
  for (const auto& [k, t] : other.tensors) tensors[prefix + k] = t;
  for (const auto& [k, t] : other.indices) indices[prefix + k] = t;
  for (const auto& [k, v] : other.values) values[prefix + k] = v;
}

StateDict StateDict::extract(const std::string& prefix) const {
  StateDict out;
  for (const auto& [k, t] : tensors)
    if (k.rfind(prefix, 0) == 0) out.tensors[k.substr(prefix.size())] = t;
  for (const auto& [k, t] : indices)
    if (k.rfind(prefix, 0) == 0) out.indices[k.substr(prefix.size())] = t;
  for (const auto& [k, v] : values)
    if (k.rfind(prefix, 0) == 0) out.values[k.substr(prefix.size())] = v;
  return out;
}

}  // namespace l2::nn
