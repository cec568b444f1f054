// Error handling for the whole project (docs/style.md#two-kinds-of-check).
// L2_CHECK is for user-facing errors (bad shapes, bad files, bad flags): it always runs and
// throws l2::Error with a message the user can act on. L2_DCHECK guards internal invariants
// and compiles out in release builds. Hot loops carry neither.
#pragma once

#include <cassert>
#include <sstream>
#include <stdexcept>
#include <string>

namespace l2 {

struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace l2

// L2_CHECK(cond, "matmul: inner dims differ: " << a << " vs " << b)
#define L2_CHECK(cond, msg)                    \
  do {                                         \
    if (!(cond)) {                             \
      std::ostringstream l2_check_os_;         \
      l2_check_os_ << msg;                     \
      throw ::l2::Error(l2_check_os_.str());   \
    }                                          \
  } while (0)

// L2_FAIL("unknown format '" << name << "'") throws unconditionally.
#define L2_FAIL(msg) L2_CHECK(false, msg)

#ifdef NDEBUG
#define L2_DCHECK(cond) ((void)0)
#else
#define L2_DCHECK(cond) assert(cond)
#endif
