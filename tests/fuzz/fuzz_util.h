// What every libFuzzer target of tests/fuzz shares: a temporary folder of this process's own for
// the input files (loaders take paths, and several detect the format from the file name), and the
// rule that an l2::Error is the expected answer to bad input. Anything else escaping a target (a
// crash, a sanitizer report, another exception type, which std::terminate turns into an abort, a
// hang, a huge allocation) is a finding that libFuzzer reports.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "tensor/check.h"

namespace l2::fuzz {

// "<tmp>/l2aug-fuzz.<pid>", created on first use and removed when the process exits normally.
inline const std::filesystem::path& temp_dir() {
  static const std::filesystem::path dir = [] {
    const std::filesystem::path d =
        std::filesystem::temp_directory_path() / ("l2aug-fuzz." + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(temp_dir(), ec);
    });
    return d;
  }();
  return dir;
}

// Writes `bytes` to temp_dir()/name (overwriting the previous input) and returns its path.
inline std::filesystem::path write_input(const std::string& name, std::string_view bytes) {
  const std::filesystem::path p = temp_dir() / name;
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), std::streamsize(bytes.size()));
  out.close();
  if (!out) std::abort();  // the harness itself failed: a full /tmp, not a finding in l2aug
  return p;
}

// Runs f; swallows only l2::Error (and so app::UsageError, which derives from it).
template <class F>
void expect_only_errors(F&& f) {
  try {
    f();
  } catch (const l2::Error&) {
  }
}

inline std::string_view as_view(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace l2::fuzz
