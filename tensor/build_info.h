// Facts about this build and this machine: printed by `l2aug --version` and stamped into every
// result file, so a number can always be traced to the code, flags and BLAS that produced it.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace l2 {

// Ordered (name, value) pairs: version, commit, source tree (committed or modified), build type, compiler, flags, SIMD instruction set
// and width, BLAS library, core type and threading, thread count.
std::vector<std::pair<std::string, std::string>> build_facts();

// build_facts() as "name: value" lines.
std::string build_report();

// build_facts() as one JSON object (no trailing newline).
std::string build_facts_json();

// True when this binary was built from a git tree with uncommitted changes: what it computes
// cannot be traced to committed code, so result files and `l2aug report` say so.
bool built_from_modified_tree();
// The warning stamped into result files and printed by the program when built_from_modified_tree().
std::string modified_tree_warning();

}  // namespace l2
