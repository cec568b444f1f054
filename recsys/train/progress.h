// Progress lines for long work: on a terminal one line rewritten in place, otherwise plain lines at
// most every `interval` seconds; always to stderr so that stdout stays for results.
#pragma once

#include <chrono>
#include <cstdio>
#include <string>

namespace l2::recsys {

class Progress {
 public:
  // A prefix for every progress line of the process (the experiment runner puts the grid's
  // progress there, so that one line shows both the grid and the current cell).
  static void set_context(const std::string& context);

  explicit Progress(std::string label, double interval_seconds = 5.0);
  // Prints `text` if the interval has passed since the last line (or `force`).
  void update(const std::string& text, bool force = false);
  void finish(const std::string& text);  // the final line, always printed, ends the in-place line
  double elapsed() const;                // seconds since construction

 private:
  std::string label_;
  double interval_;
  bool tty_;
  std::chrono::steady_clock::time_point start_, last_;
  bool printed_ = false;
};

// "1:02:03" / "2:03" for a number of seconds.
std::string format_duration(double seconds);

}  // namespace l2::recsys
