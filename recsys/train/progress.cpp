#include "recsys/train/progress.h"

#include <unistd.h>

#include <cmath>

namespace l2::recsys {

namespace {
std::string& context() {
  static std::string c;
  return c;
}
}  // namespace

void Progress::set_context(const std::string& c) { context() = c; }

Progress::Progress(std::string label, double interval)
    : label_(std::move(label)), interval_(interval), tty_(::isatty(2)), start_(std::chrono::steady_clock::now()),
      last_(start_) {}

double Progress::elapsed() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void Progress::update(const std::string& text, bool force) {
  const auto now = std::chrono::steady_clock::now();
  if (!force && printed_ && std::chrono::duration<double>(now - last_).count() < interval_) return;
  if (!force && !printed_ && std::chrono::duration<double>(now - start_).count() < std::min(1.0, interval_)) return;
  last_ = now;
  printed_ = true;
  const std::string& ctx = context();
  if (tty_)
    std::fprintf(stderr, "\r\033[K%s[%s] %s", ctx.c_str(), label_.c_str(), text.c_str());
  else
    std::fprintf(stderr, "%s[%s] %s\n", ctx.c_str(), label_.c_str(), text.c_str());
  std::fflush(stderr);
}

void Progress::finish(const std::string& text) {
  if (tty_ && printed_) std::fprintf(stderr, "\r\033[K");
  std::fprintf(stderr, "%s[%s] %s\n", context().c_str(), label_.c_str(), text.c_str());
  std::fflush(stderr);
}

std::string format_duration(double s) {
  if (!std::isfinite(s) || s < 0) return "?";
  const long t = std::lround(s);
  char buf[32];
  if (t >= 3600)
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", t / 3600, (t / 60) % 60, t % 60);
  else
    std::snprintf(buf, sizeof buf, "%ld:%02ld", t / 60, t % 60);
  return buf;
}

}  // namespace l2::recsys
