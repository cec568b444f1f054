#include "tensor/build_info.h"

#include <sstream>

#include "tensor/blas_library.h"
#include "tensor/build_config.h"
#include "tensor/git_commit.h"
#include "tensor/parallel.h"
#include "tensor/simd.h"

namespace l2 {

std::vector<std::pair<std::string, std::string>> build_facts() {
  const BlasInfo& blas = blas_info();
  return {
      {"version", L2_VERSION},
      {"commit", L2_GIT_COMMIT},
      {"source_tree", L2_GIT_TREE},
      {"build_type", L2_BUILD_TYPE},
      {"compiler", L2_COMPILER},
      {"flags", L2_CXX_FLAGS},
      {"simd", std::string(simd_arch_name()) + " (" + std::to_string(kWidth) + " floats)"},
      {"blas", blas.library},
      {"blas_core", blas.corename + " (core type chosen by " + blas.coretype_source + ")"},
      {"blas_threading", blas.threading + " build, called single-threaded on a fixed split"},
      {"blas_config", blas.config},
      {"threads", std::to_string(num_threads())},
  };
}

std::string build_report() {
  std::ostringstream os;
  for (const auto& [k, v] : build_facts()) os << k << ": " << v << '\n';
  return os.str();
}

namespace {
std::string json_escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '"' || c == '\\') o += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      o += ' ';
      continue;
    }
    o += c;
  }
  return o;
}
}  // namespace

bool built_from_modified_tree() { return std::string(L2_GIT_TREE) == "modified"; }

std::string modified_tree_warning() {
  return std::string("built from a modified source tree (commit ") + L2_GIT_COMMIT +
         "): results of this build cannot be traced to committed code and are not evidence";
}

std::string build_facts_json() {
  std::ostringstream os;
  os << '{';
  bool first = true;
  for (const auto& [k, v] : build_facts()) {
    os << (first ? "" : ", ") << '"' << json_escape(k) << "\": \"" << json_escape(v) << '"';
    first = false;
  }
  os << '}';
  return os.str();
}

}  // namespace l2
