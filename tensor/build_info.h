// Facts about this build and this machine: printed by `l2aug --version` and stamped into every
// result file, so a number can always be traced to the code, flags and BLAS that produced it.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace l2 {

// Ordered (name, value) pairs: version, commit, build type, compiler, flags, SIMD instruction set
// and width, BLAS library, core type and threading, thread count.
std::vector<std::pair<std::string, std::string>> build_facts();

// build_facts() as "name: value" lines.
std::string build_report();

// build_facts() as one JSON object (no trailing newline).
std::string build_facts_json();

}  // namespace l2
