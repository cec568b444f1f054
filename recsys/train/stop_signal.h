// SIGINT / SIGTERM handling for long runs: the first signal only sets a flag; the training loops
// check it between steps, write a checkpoint and return, so a stopped run can be resumed exactly.
// A second signal terminates at once.
#pragma once

namespace l2::recsys {

void install_stop_handlers();
bool stop_requested();

}  // namespace l2::recsys
