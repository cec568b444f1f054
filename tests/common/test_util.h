// Helpers shared by the test suites: random inputs, tolerant and bitwise comparisons, a scoped
// thread count, and the location of the real datasets.
#pragma once

#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "tensor/parallel.h"
#include "tensor/random.h"
#include "tensor/tensor.h"

namespace l2::test {

// Sizes that exercise SIMD tails and block edges.
inline const std::vector<std::int64_t> kAwkwardSizes = {1, 7, 17, 63, 1000, 4097};

inline std::vector<float> random_vector(std::int64_t n, std::uint64_t seed, float lo = -1.0f, float hi = 1.0f) {
  std::vector<float> v(static_cast<size_t>(n));
  Generator g(seed);
  for (auto& x : v) x = g.uniform(lo, hi);
  return v;
}

inline Tensor random_tensor(const Shape& s, std::uint64_t seed, float lo = -1.0f, float hi = 1.0f) {
  return Tensor::from(s, random_vector(s.numel(), seed, lo, hi));
}

// max_i |a_i - b_i| / max(1, |b_i|): relative for large values, absolute near zero.
inline double max_rel_err(const float* a, const float* b, std::int64_t n) {
  double m = 0.0;
  for (std::int64_t i = 0; i < n; ++i) {
    const double d = std::fabs(double(a[i]) - double(b[i])) / std::max(1.0, std::fabs(double(b[i])));
    if (!(d <= m)) m = d;  // NaN counts as the worst
  }
  return m;
}
inline double max_rel_err(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() != b.size() ? INFINITY : max_rel_err(a.data(), b.data(), std::int64_t(a.size()));
}

inline bool bit_equal(const void* a, const void* b, size_t bytes) { return std::memcmp(a, b, bytes) == 0; }
template <class T>
bool bit_equal(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() && bit_equal(a.data(), b.data(), a.size() * sizeof(T));
}
inline bool bit_equal(const Tensor& a, const Tensor& b) {
  return a.shape() == b.shape() && bit_equal(a.data(), b.data(), size_t(a.numel()) * sizeof(float));
}

// Sets the thread count for the scope of a test, restoring it afterwards.
class ThreadScope {
 public:
  explicit ThreadScope(int n) : previous_(num_threads()) { set_num_threads(n); }
  ~ThreadScope() { set_num_threads(previous_); }

 private:
  int previous_;
};

// Runs fn() once with 1 thread and once with 2 and returns both results.
template <class F>
auto with_1_and_2_threads(F&& fn) {
  ThreadScope one(1);
  auto a = fn();
  set_num_threads(2);
  auto b = fn();
  return std::make_pair(a, b);
}

// The folder with the shared real datasets: $L2AUG_DATA_DIR, else ../shared/datasets beside the checkout.
inline std::filesystem::path data_dir() {
  if (const char* d = std::getenv("L2AUG_DATA_DIR"); d && *d) return d;
  return L2_DATA_DIR_DEFAULT;
}

// The path of the data file, or an empty path after printing the ctest skip marker. Only a case
// labelled "needs_data" may call it: such a case is a ctest entry of its own (tests/CMakeLists.txt),
// so that its skip marker cannot mark other cases' results as skipped.
inline std::filesystem::path require_data(const std::string& relative) {
  const auto& tc = boost::unit_test::framework::current_test_case();
  if (!tc.has_label("needs_data"))
    throw std::logic_error("test case '" + tc.full_name() + "' reads the shared data but lacks the needs_data label");
  const auto p = data_dir() / relative;
  if (!std::filesystem::exists(p)) {
    std::printf("L2AUG_SKIPPED: %s not found (set L2AUG_DATA_DIR)\n", p.c_str());
    return {};
  }
  return p;
}

}  // namespace l2::test
