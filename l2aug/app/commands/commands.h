// The subcommands of the `l2aug` program. Each takes the whole argv and the index of its first
// own argument, and returns the process exit status.
#pragma once

namespace l2::app::commands {

int smoke(int argc, const char* const* argv, int first);
int data(int argc, const char* const* argv, int first);  // `data stats`, `data export` (data.cpp)
int train(int argc, const char* const* argv, int first);
int eval(int argc, const char* const* argv, int first);
int recommend(int argc, const char* const* argv, int first);
int treat(int argc, const char* const* argv, int first);
int augment(int argc, const char* const* argv, int first);
int experiment(int argc, const char* const* argv, int first);
int report(int argc, const char* const* argv, int first);
int simulate(int argc, const char* const* argv, int first);
int reward(int argc, const char* const* argv, int first);    // the reward diagnostic (reward.cpp)  // the online experiment (simulate.cpp)

}  // namespace l2::app::commands
