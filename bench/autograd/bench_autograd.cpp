// Autograd benchmark: forward + backward of one SASRec block (batch 128, width 64, lengths 50 and
// 200, dropout 0.2, training mode) and the per-op overhead of a tiny op. The PyTorch twin is
// bench/torch/bench_autograd.py; bench/torch/run.sh runs it configured at its best.
//   bench_autograd [--threads N] [--reps R]
#include <cstdio>

#include "autograd/ops.h"
#include "bench/harness.h"
#include "recsys/models/sasrec_block.h"
#include "tensor/parallel.h"

using namespace l2;
using namespace l2::bench;

int main(int argc, char** argv) {
  const bench::Args args(argc, argv, "bench_autograd [--threads N] [--reps R]", {"--threads", "--reps"});
  set_num_threads(std::atoi(args.get("--threads", "0").c_str()));
  const int reps = std::atoi(args.get("--reps", "10").c_str());
  std::printf("threads %d\n", num_threads());
  const std::int64_t B = 128, C = 64;
  for (std::int64_t T : {50, 200}) {
    auto rng = std::make_shared<Generator>(1);
    recsys::SASRecBlock block(C, 1, 0.2f, rng);
    nn::Init init;
    init.seed = 1;
    block.init_parameters(init);
    Tensor x0 = Tensor::empty(Shape{B, T, C});
    fill_uniform(x0.data(), x0.numel(), 2, 0, -1.0f, 1.0f);
    IndexTensor pad = IndexTensor::zeros(Shape{B, T});
    Tensor mask = Tensor::full(Shape{B, T}, 1.0f);
    const double t = median_seconds(
        [&] {
          Var x = parameter(x0);
          Var y = block.forward(x, pad, mask);
          backward(sum(y));
          block.zero_grad();
        },
        reps);
    std::printf("sasrec_block B=%lld T=%lld C=%lld fwd+bwd: %.2f ms\n", (long long)B, (long long)T, (long long)C, t * 1e3);
  }
  const int chain = 10000;
  const double t = median_seconds(
      [&] {
        Var x = parameter(Tensor::full(Shape{1}, 1.0f));
        Var y = x;
        for (int i = 0; i < chain; ++i) y = add(y, x);
        backward(y);
      },
      reps);
  std::printf("tiny op (add of [1] tensors) fwd+bwd: %.3f us per op\n", t / chain * 1e6);
  return 0;
}
