// Model benchmark: training throughput (sequences per second of forward + backward +
// Adam on full-length sequences, so padding tricks do not count) and full-ranking evaluation
// throughput (users per second: hidden states, scores against every item, the target's rank) for
// each model, at the paper's setting and at a small one. The PyTorch twin is
// bench/torch/bench_models.py, run through bench/torch/run.sh.
//   bench_models [--threads N] [--reps R] [--models sasrec,gru4rec,nextitnet] [--settings paper,small]
//                [--phases train,eval]   (one phase alone, e.g. to profile training under perf)
#include <time.h>

#include <cstdio>
#include <sstream>
#include <string>

#include "bench/harness.h"
#include "recsys/models/recommender.h"
#include "recsys/train/loss.h"
#include "nn/optim.h"
#include "tensor/block_cache.h"
#include "tensor/kernels/topk.h"
#include "tensor/parallel.h"

using namespace l2;
using namespace l2::recsys;
using namespace l2::bench;

namespace {

struct Setting {
  const char* name;
  std::int64_t items, maxlen, dim, batch;
};

// CPU seconds of the whole process (all threads): beside the wall-clock medians it shows how much
// of a step the machine's other load took (wall x threads >> cpu) or threads spent spinning.
double cpu_seconds() {
  timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
}

// Median wall seconds of fn, and the mean CPU seconds per call over the timed calls.
template <class F>
std::pair<double, double> wall_and_cpu(F&& fn, int reps) {
  fn();  // warm-up
  const double c0 = cpu_seconds();
  const double wall = median_seconds(fn, reps, 0);
  return {wall, (cpu_seconds() - c0) / reps};
}

SequenceBatch full_batch(const Setting& s, std::uint64_t seed) {
  SequenceBatch b;
  b.B = s.batch;
  b.T = s.maxlen;
  b.maxlen = s.maxlen;
  const Shape shape{s.batch, s.maxlen};
  b.items = IndexTensor::empty(shape);
  b.positions = IndexTensor::empty(shape);
  b.targets = IndexTensor::empty(shape);
  b.negatives = IndexTensor::empty(shape);
  Generator g(seed);
  for (std::int64_t i = 0; i < shape.numel(); ++i) {
    b.items[i] = std::int32_t(g.integer(1, s.items + 1));
    b.targets[i] = std::int32_t(g.integer(1, s.items + 1));
    b.negatives[i] = std::int32_t(g.integer(1, s.items + 1));
    b.positions[i] = std::int32_t(i % s.maxlen);
  }
  b.weights = Tensor::full(Shape{s.batch}, 1.0f);
  return b;
}

}  // namespace

int main(int argc, char** argv) {
  const bench::Args args(argc, argv, "bench_models [--threads N] [--reps R] [--models sasrec,gru4rec,nextitnet] [--settings paper,small] "
                         "[--phases train,eval]",
                         {"--threads", "--reps", "--models", "--settings", "--phases"});
  set_num_threads(std::atoi(args.get("--threads", "0").c_str()));
  const int reps = std::atoi(args.get("--reps", "5").c_str());
  const std::string models = args.get("--models", "sasrec,gru4rec,nextitnet");
  const std::string settings = args.get("--settings", "paper,small");
  const std::string phases = args.get("--phases", "train,eval");
  const bool run_train = phases.find("train") != std::string::npos, run_eval = phases.find("eval") != std::string::npos;
  if (!run_train && !run_eval) {
    std::fprintf(stderr, "--phases: expected train, eval or train,eval, got '%s'\n", phases.c_str());
    return 2;
  }
  const Setting all_settings[] = {{"paper", 20000, 200, 100, 512}, {"small", 20000, 50, 64, 128}};
  std::printf("threads %d\n", num_threads());
  std::stringstream ms(models);
  std::string model_name;
  while (std::getline(ms, model_name, ',')) {
    for (const Setting& s : all_settings) {
      if (settings.find(s.name) == std::string::npos) continue;
      cache_release_all();  // peaks per model and setting
      ModelConfig c = ModelConfig::defaults(parse_model_kind(model_name));
      c.num_items = std::int32_t(s.items);
      c.maxlen = s.maxlen;
      c.dim = s.dim;
      c.hidden = s.dim;
      auto model = make_model(c);
      model->train();
      nn::AdamOptions o;
      nn::Adam adam(model->named_parameters(), o);
      const SequenceBatch b = full_batch(s, 1);
      std::string line = model_name + " " + s.name + " (items " + std::to_string(s.items) + ", len " +
                         std::to_string(s.maxlen) + ", width " + std::to_string(s.dim) + ", batch " +
                         std::to_string(s.batch) + "):";
      char part[128];
      if (run_train) {
        const auto [train, train_cpu] = wall_and_cpu(
            [&] {
              Var loss = next_item_loss(*model, b);
              backward(loss);
              adam.step();
              model->zero_grad();
            },
            reps);
        std::snprintf(part, sizeof part, " train %.1f seq/s (%.0f ms/step, cpu %.0f ms)", s.batch / train, train * 1e3,
                      train_cpu * 1e3);
        line += part;
      }
      if (run_eval) {
        model->eval();
        const auto [eval, eval_cpu] = wall_and_cpu(
            [&] {
              Tensor scores = model->score_all_last(b.items, b.positions);
              std::vector<std::int64_t> ranks(static_cast<size_t>(b.B));
              std::vector<std::int32_t> targets(static_cast<size_t>(b.B));
              for (std::int64_t r = 0; r < b.B; ++r) targets[size_t(r)] = b.targets[r * b.T + b.T - 1];
              kernels::rank_of_targets(ranks.data(), scores.data(), targets.data(), b.B, scores.dim(1));
            },
            reps);
        std::snprintf(part, sizeof part, "%s eval %.0f users/s (cpu %.0f ms/batch)", run_train ? "," : "", s.batch / eval,
                      eval_cpu * 1e3);
        line += part;
      }
      std::printf("%s\n", line.c_str());
      const CacheStats cs = cache_stats();
      std::printf("  storage: peak live %.0f MB, peak live + cached %.0f MB, %zu hits, %zu misses\n",
                  double(cs.peak_live) / 1e6, double(cs.peak_footprint) / 1e6, cs.hits, cs.misses);
      std::fflush(stdout);
    }
  }
  return 0;
}
