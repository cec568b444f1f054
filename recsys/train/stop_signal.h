// SIGINT / SIGTERM handling for long runs: the first signal only sets a flag; the training loops
// check it between steps, write a checkpoint and return, so a stopped run can be resumed exactly.
// A second signal terminates at once.
#pragma once

namespace l2::recsys {

void install_stop_handlers();
bool stop_requested();
void request_stop();  // what the handler does; also for tests
void clear_stop();

}  // namespace l2::recsys
