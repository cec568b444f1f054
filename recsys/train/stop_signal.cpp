#include "recsys/train/stop_signal.h"

#include <csignal>
#include <cstdlib>
#include <unistd.h>

#include <atomic>

namespace l2::recsys {

namespace {
std::atomic<int> g_signals{0};

extern "C" void on_stop_signal(int sig) {
  if (g_signals.fetch_add(1) >= 1) std::_Exit(128 + sig);  // second signal: stop now
  const char msg[] = "\nl2aug: stopping after the current step (writing a checkpoint); signal again to abort\n";
  [[maybe_unused]] auto n = ::write(2, msg, sizeof(msg) - 1);
}
}  // namespace

void install_stop_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

bool stop_requested() { return g_signals.load() > 0; }

}  // namespace l2::recsys
