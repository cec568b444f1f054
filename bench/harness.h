// A small benchmark harness in the style of llm.c's dev/cpu: validate against the reference,
// then time. Times are the median of repeated runs after warm-up runs.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

namespace l2::bench {

template <class F>
double median_seconds(F&& fn, int reps = 15, int warmup = 2) {
  for (int i = 0; i < warmup; ++i) fn();
  std::vector<double> t;
  for (int i = 0; i < reps; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    fn();
    t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

// The command line of a benchmark: "--name value" pairs among `known`. --help prints the usage;
// an unknown option or a missing value is an error that names it (exit 2), so that a mistyped flag
// never silently benchmarks the default.
class Args {
 public:
  Args(int argc, char** argv, std::string usage, std::vector<std::string> known) {
    for (int i = 1; i < argc; ++i) {
      const std::string a = argv[i];
      if (a == "--help" || a == "-h") {
        std::printf("usage: %s\n", usage.c_str());
        std::exit(0);
      }
      if (std::find(known.begin(), known.end(), a) == known.end() || i + 1 >= argc) {
        std::fprintf(stderr, "%s option %s\nusage: %s\n", i + 1 >= argc && a.rfind("--", 0) == 0 ? "missing value for" : "unknown",
                     a.c_str(), usage.c_str());
        std::exit(2);
      }
      values_.emplace_back(a, argv[++i]);
    }
  }
  // The value of --name, or the fallback.
  std::string get(const std::string& name, const std::string& fallback) const {
    for (const auto& [n, v] : values_)
      if (n == name) return v;
    return fallback;
  }

 private:
  std::vector<std::pair<std::string, std::string>> values_;
};

}  // namespace l2::bench
