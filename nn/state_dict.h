// A state dictionary: what a checkpoint holds. Tensors by name (model parameters, optimiser
// moments) and strings by name (configuration, counters, RNG state, id maps, a data fingerprint,
// and anything a caller wants to keep with the model).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "tensor/tensor.h"

namespace l2::nn {

struct StateDict {
  std::map<std::string, Tensor> tensors;
  std::map<std::string, IndexTensor> indices;  // integer arrays (ids, histories)
  std::map<std::string, std::string> values;

  void set(const std::string& key, const std::string& v) { values[key] = v; }
  void set_int(const std::string& key, std::int64_t v) { values[key] = std::to_string(v); }
  void set_u64(const std::string& key, std::uint64_t v) { values[key] = std::to_string(v); }
  // Note [Exact doubles]: every double a checkpoint keeps (an early-stopping best, a reward
  // baseline, a running loss sum) goes through set_double/get_double, which write 17 significant
  // digits ("%.17g", or inf/nan) and parse them back with strtod: the same bits come back, so a
  // resumed run continues exactly. std::to_string would keep 6 decimals and round them.
  void set_double(const std::string& key, double v);
  bool has(const std::string& key) const { return values.count(key) > 0; }
  // Throw an l2::Error naming the key when it is missing or not a number.
  const std::string& get(const std::string& key) const;
  std::int64_t get_int(const std::string& key) const;
  std::uint64_t get_u64(const std::string& key) const;
  double get_double(const std::string& key) const;
  const Tensor& tensor(const std::string& key) const;
  const IndexTensor& index(const std::string& key) const;

  // Entries of `other` under prefix + their names; entries of this one whose name starts with
  // prefix, with the prefix removed.
  void merge(const std::string& prefix, const StateDict& other);
  StateDict extract(const std::string& prefix) const;
};

}  // namespace l2::nn
