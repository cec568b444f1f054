// Helpers shared by the load_*.cpp readers (not part of the public API): the skip-malformed policy
// and the end-of-file checks every format applies the same way.
#pragma once

#include <string>

#include "recsys/data/raw_log.h"
#include "recsys/data/text_file.h"
#include "tensor/check.h"

namespace l2::recsys::detail {

// Applies --skip-malformed: either throws "<file>:<line>: <what>" or counts the line as skipped.
class MalformedLines {
 public:
  MalformedLines(bool skip, LoadReport& report) : skip_(skip), report_(report) {}
  void fail(const std::string& where, const std::string& what) {
    const std::string msg = where + ": " + what;
    if (!skip_) throw Error(msg + " (--skip-malformed skips such lines)");
    if (report_.skipped++ == 0) report_.first_skipped = msg;
  }

 private:
  bool skip_;
  LoadReport& report_;
};

// The checks after the last line: an empty file, or a file whose every line was skipped.
inline void check_loaded(const RawLog& log, const std::string& file) {
  L2_CHECK(log.report.lines > 0, file << ": empty file (no data lines)");
  L2_CHECK(log.report.rows > 0, file << ": no interaction could be read: all " << log.report.lines
                                     << " lines are malformed (first: " << log.report.first_skipped << ")");
}

}  // namespace l2::recsys::detail
