// `l2aug smoke`: a quick check that the tensor stack works and is fast on this machine: the
// version facts, GEMM at a model shape against the naive reference, and its throughput.
#include <chrono>
#include <cstdio>
#include <vector>

#include "l2aug/app/cli.h"
#include "l2aug/app/commands/commands.h"
#include "tensor/gemm.h"
#include "tensor/build_info.h"
#include "tensor/random.h"

namespace l2::app::commands {

int smoke(int argc, const char* const* argv, int first) {
  Command cmd("smoke", "Check the tensor stack: GEMM against the naive reference, then its speed.");
  cmd.option("size", "N", "rows of the [N, 100] x [100, 100] product", "6400");
  const Args args = cmd.parse(argc, argv, first);
  if (args.help_requested) {
    std::fputs(cmd.help().c_str(), stdout);
    return 0;
  }
  const std::int64_t M = args.get_int("size"), N = 100, K = 100;
  if (M < 1) throw UsageError("--size: expected a positive integer");
  std::fputs(build_report().c_str(), stdout);

  std::vector<float> A(M * K), B(K * N), C(M * N), R(M * N);
  fill_uniform(A.data(), M * K, 1, 0, -1.0f, 1.0f);
  fill_uniform(B.data(), K * N, 1, 1, -1.0f, 1.0f);
  gemm(false, false, M, N, K, 1.0f, A.data(), B.data(), 0.0f, C.data());
  gemm_ref(false, false, M, N, K, 1.0f, A.data(), K, B.data(), N, 0.0f, R.data(), N);
  double err = 0.0;
  for (std::int64_t i = 0; i < M * N; ++i) err = std::max(err, double(std::abs(C[i] - R[i])));
  std::printf("gemm %lldx%lldx%lld: max |ours - naive| = %.2e %s\n", (long long)M, (long long)N, (long long)K, err,
              err < 1e-3 ? "(ok)" : "(WRONG)");

  const int reps = 20;
  std::vector<double> times;
  for (int r = 0; r < reps; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    gemm(false, false, M, N, K, 1.0f, A.data(), B.data(), 0.0f, C.data());
    times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(times.begin(), times.end());
  const double median = times[reps / 2];
  std::printf("gemm throughput: %.1f GFLOP/s (median of %d)\n", 2.0 * M * N * K / median / 1e9, reps);
  return err < 1e-3 ? 0 : 1;
}

}  // namespace l2::app::commands
