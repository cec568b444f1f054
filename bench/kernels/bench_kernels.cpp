// Kernel benchmark: GFLOP/s of GEMM at the shapes the models use, against the naive reference
// and against OpenBLAS called directly (one thread, and its own threading); GB/s of the
// element-wise, softmax and layer-norm kernels against their scalar references.
//   bench_kernels [--threads N] [--reps R]
#include <cmath>
#include <cstdio>
#include <vector>

#include "bench/harness.h"
#include "tensor/blas_library.h"
#include "tensor/gemm.h"
#include "tensor/build_info.h"
#include "tensor/kernels/elementwise.h"
#include "tensor/kernels/embedding.h"
#include "tensor/kernels/layer_norm.h"
#include "tensor/kernels/softmax.h"
#include "tensor/parallel.h"
#include "tensor/random.h"

using namespace l2;
using namespace l2::bench;

namespace {

std::vector<float> randv(std::int64_t n, std::uint64_t seed) {
  std::vector<float> v(static_cast<size_t>(n));
  fill_uniform(v.data(), n, seed, 0, -1.0f, 1.0f);
  return v;
}

void bench_gemm(int reps) {
  struct Shape3 {
    std::int64_t M, N, K;
    bool tb;
    const char* what;
  };
  const Shape3 shapes[] = {
      {6400, 64, 64, false, "B*T rows x width 64 (SASRec small: 128x50)"},
      {6400, 100, 100, false, "B*T rows x width 100"},
      {102400, 100, 100, false, "paper setting: 512x200 rows x width 100"},
      {512, 20000, 100, true, "scores: 512 users x 20,000 items"},
      {200, 200, 100, true, "one attention product: T x T x width"},
  };
  std::printf("\n### GEMM (GFLOP/s, median of %d)\n\n", reps);
  std::printf("| M x N x K | what | ours (%d threads, fixed split) | OpenBLAS direct, 1 thread | OpenBLAS direct, %d threads (own threading) | naive reference |\n",
              num_threads(), num_threads());
  std::printf("|---|---|---|---|---|---|\n");
  for (const Shape3& s : shapes) {
    auto A = randv(s.M * s.K, 1), B = randv(s.K * s.N, 2);
    std::vector<float> C(static_cast<size_t>(s.M * s.N));
    const double flop = 2.0 * s.M * s.N * s.K;
    const double ours = median_seconds([&] { gemm(false, s.tb, s.M, s.N, s.K, 1.0f, A.data(), B.data(), 0.0f, C.data()); }, reps);
    const double d1 = median_seconds([&] { gemm_openblas_direct(false, s.tb, s.M, s.N, s.K, A.data(), B.data(), C.data(), 1); }, reps);
    const double dn = median_seconds(
        [&] { gemm_openblas_direct(false, s.tb, s.M, s.N, s.K, A.data(), B.data(), C.data(), num_threads()); }, reps);
    // The naive loop is slow: time it on at most 256 rows and scale.
    const std::int64_t Mn = std::min<std::int64_t>(s.M, 256);
    const double naive = median_seconds(
        [&] { gemm_ref(false, s.tb, Mn, s.N, s.K, 1.0f, A.data(), s.K, B.data(), s.tb ? s.K : s.N, 0.0f, C.data(), s.N); },
        3, 1);
    const double nflop = 2.0 * Mn * s.N * s.K;
    std::printf("| %lldx%lldx%lld%s | %s | %.1f | %.1f | %.1f | %.2f |\n", (long long)s.M, (long long)s.N, (long long)s.K,
                s.tb ? " (B^T)" : "", s.what, flop / ours / 1e9, flop / d1 / 1e9, flop / dn / 1e9, nflop / naive / 1e9);
  }
}

void bench_elementwise(int reps) {
  const std::int64_t n = 1 << 22;  // 16 MiB per operand: out of cache
  auto x = randv(n, 3), y = randv(n, 4), dy = randv(n, 5);
  std::vector<float> o(static_cast<size_t>(n));
  for (auto& v : y) v = 1.5f + v;  // away from zero for div
  std::printf("\n### Element-wise kernels (GB/s of operands read + written, n = 2^22, median of %d)\n\n", reps);
  std::printf("| kernel | ours (%d threads) | scalar reference (1 thread) | ratio |\n|---|---|---|---|\n", num_threads());
  auto row = [&](const char* name, double bytes, auto&& fast, auto&& ref) {
    const double tf = median_seconds(fast, reps), tr = median_seconds(ref, reps);
    std::printf("| %s | %.1f | %.1f | %.1fx |\n", name, bytes / tf / 1e9, bytes / tr / 1e9, tr / tf);
  };
  const kernels::Broadcast same{kernels::Broadcast::Same, 1, n}, rowb{kernels::Broadcast::Row, n / 100, 100};
  row("add [N] + [N]", 12.0 * n, [&] { kernels::binary_forward(kernels::Binary::Add, o.data(), x.data(), y.data(), same); },
      [&] { kernels::binary_forward_ref(kernels::Binary::Add, o.data(), x.data(), y.data(), same); });
  row("mul [N,100] * [100]", 8.0 * n, [&] { kernels::binary_forward(kernels::Binary::Mul, o.data(), x.data(), y.data(), rowb); },
      [&] { kernels::binary_forward_ref(kernels::Binary::Mul, o.data(), x.data(), y.data(), rowb); });
  row("exp", 8.0 * n, [&] { kernels::unary_forward(kernels::Unary::Exp, o.data(), x.data(), n); },
      [&] { kernels::unary_forward_ref(kernels::Unary::Exp, o.data(), x.data(), n); });
  row("sigmoid", 8.0 * n, [&] { kernels::unary_forward(kernels::Unary::Sigmoid, o.data(), x.data(), n); },
      [&] { kernels::unary_forward_ref(kernels::Unary::Sigmoid, o.data(), x.data(), n); });
  row("tanh backward", 16.0 * n, [&] { kernels::unary_backward(kernels::Unary::Tanh, o.data(), dy.data(), x.data(), y.data(), n); },
      [&] { kernels::unary_backward_ref(kernels::Unary::Tanh, o.data(), dy.data(), x.data(), y.data(), n); });
  row("axpy", 12.0 * n, [&] { kernels::axpy(0.5f, x.data(), o.data(), n); }, [&] { kernels::axpy_ref(0.5f, x.data(), o.data(), n); });
  const std::int64_t C = 200, N = n / C;
  row("softmax rows of 200", 8.0 * n, [&] { kernels::softmax_forward(o.data(), x.data(), N, C); },
      [&] { kernels::softmax_forward_ref(o.data(), x.data(), N, C); });
  std::vector<float> w = randv(100, 6), b = randv(100, 7), mean(static_cast<size_t>(n / 100)), rstd(mean.size());
  row("layer norm rows of 100", 8.0 * n,
      [&] { kernels::layer_norm_forward(o.data(), mean.data(), rstd.data(), x.data(), w.data(), b.data(), n / 100, 100, 1e-8f); },
      [&] { kernels::layer_norm_forward_ref(o.data(), mean.data(), rstd.data(), x.data(), w.data(), b.data(), n / 100, 100, 1e-8f); });
  row("layer norm backward rows of 100", 16.0 * n,
      [&] { kernels::layer_norm_backward(o.data(), nullptr, nullptr, dy.data(), x.data(), w.data(), mean.data(), rstd.data(), n / 100, 100); },
      [&] { kernels::layer_norm_backward_ref(o.data(), nullptr, nullptr, dy.data(), x.data(), w.data(), mean.data(), rstd.data(), n / 100, 100); });
  std::vector<std::int32_t> ids(static_cast<size_t>(n / 100));
  Generator g(8);
  for (auto& i : ids) i = std::int32_t(g.integer(1, 20000));
  std::vector<float> table = randv(20000 * 100, 9);
  row("gather rows of 100 from 20,000", 8.0 * n, [&] { kernels::gather_rows(o.data(), table.data(), ids.data(), n / 100, 100); },
      [&] { for (std::int64_t r = 0; r < n / 100; ++r) for (int c = 0; c < 100; ++c) o[size_t(r * 100 + c)] = table[size_t(ids[size_t(r)]) * 100 + c]; });
  row("scatter-add rows of 100 into 20,000", 12.0 * n,
      [&] { kernels::scatter_add_rows(table.data(), dy.data(), ids.data(), n / 100, 100, 20000, 0, nullptr); },
      [&] { kernels::scatter_add_rows_ref(table.data(), dy.data(), ids.data(), n / 100, 100, 0); });
}

}  // namespace

int main(int argc, char** argv) {
  const bench::Args args(argc, argv, "bench_kernels [--threads N] [--reps R]", {"--threads", "--reps"});
  const int threads = std::atoi(args.get("--threads", "0").c_str());
  const int reps = std::atoi(args.get("--reps", "15").c_str());
  set_num_threads(threads);
  std::printf("```\n%s```\n", build_report().c_str());
  bench_gemm(reps);
  bench_elementwise(reps);
  return 0;
}
