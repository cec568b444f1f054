// Reads the reference-value files written by the scripts in bench/reference/:
//   tensor <name> <ndim> <d0> ... <d(ndim-1)>
//   <values>
// Lines starting with '#' are comments.
#pragma once

#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "tensor/tensor.h"

namespace l2::test {

inline std::map<std::string, Tensor> load_fixture(const std::string& name) {
  const std::string path = std::string(L2_SOURCE_DIR) + "/tests/" + name;
  std::ifstream in(path);
  L2_CHECK(in, "fixture " << path << " not found (regenerate with the script in bench/reference/)");
  std::map<std::string, Tensor> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream head(line);
    std::string word, key;
    int ndim = 0;
    head >> word >> key >> ndim;
    L2_CHECK(word == "tensor" && ndim >= 0 && ndim <= 4, path << ": bad header line '" << line << "'");
    Shape shape;
    for (int i = 0; i < ndim; ++i) {
      std::int64_t d;
      head >> d;
      shape = shape.appended(d);
    }
    L2_CHECK(std::getline(in, line), path << ": values of '" << key << "' missing");
    std::istringstream values(line);
    std::vector<float> v;
    double x;
    while (values >> x) v.push_back(float(x));
    out[key] = Tensor::from(shape, v);
  }
  return out;
}

inline IndexTensor to_index(const Tensor& t) {
  IndexTensor r = IndexTensor::empty(t.shape());
  for (std::int64_t i = 0; i < t.numel(); ++i) r[i] = std::int32_t(t[i]);
  return r;
}

}  // namespace l2::test
