// Data benchmark: load + preprocess + split of each shared dataset, cold (parsing the
// files) and from the processed-dataset cache, plus the stats report and one epoch of bucketed
// training batches. Times are medians of repeated runs (bench/harness.h).
//   bench_data [--reps N] [--data-dir DIR]     (DIR default: $L2AUG_DATA_DIR or ../shared/datasets)
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "bench/harness.h"
#include "l2aug/app/data_stats.h"
#include "recsys/data/batch.h"
#include "recsys/data/prepare.h"
#include "tensor/build_info.h"
#include "tensor/parallel.h"

using namespace l2;
using namespace l2::recsys;

namespace {

struct Shared {
  const char* name;
  const char* folder;
};
constexpr Shared kShared[] = {
    {"MovieLens-100K", "ml-100k"},
    {"Amazon Beauty", "amazon-Beauty"},
    {"Amazon Sports", "amazon-Sports_and_Outdoors"},
    {"Yelp-A", "yelp-ticoserec/Yelp-A"},
    {"synthetic (default)", nullptr},
};

std::filesystem::path default_data_dir() {
  if (const char* d = std::getenv("L2AUG_DATA_DIR"); d && *d) return d;
  return std::filesystem::path(L2_SOURCE_DIR) / ".." / "shared" / "datasets";
}

}  // namespace

int main(int argc, char** argv) {
  const bench::Args args(argc, argv, "bench_data [--reps N] [--data-dir DIR] (DIR default: $L2AUG_DATA_DIR or ../shared/datasets)", {"--reps", "--data-dir"});
  const int reps = std::atoi(args.get("--reps", "11").c_str());
  const std::filesystem::path data_dir = args.get("--data-dir", default_data_dir().string());
  const auto cache_dir = std::filesystem::temp_directory_path() / ("l2aug-bench-cache-" + std::to_string(::getpid()));
  std::printf("Command: bench_data --reps %d (%d threads), data from %s\n\n", reps, num_threads(), data_dir.c_str());
  std::printf(
      "| dataset | interactions | cold: load + preprocess + split | cache write | from the cache | stats report | "
      "one epoch of batches (maxlen 50, 128 per batch, bucketed) |\n|---|---|---|---|---|---|---|\n");
  for (const Shared& s : kShared) {
    DataConfig config;
    config.load.data = s.folder ? (data_dir / s.folder).string() : "synthetic";
    if (s.folder && !std::filesystem::exists(config.load.data)) {
      std::printf("| %s | (not found: %s) | | | | | |\n", s.name, config.load.data.c_str());
      continue;
    }
    config.cache.dir = cache_dir;
    DataConfig cold = config;
    cold.cache.enabled = false;
    Split split;
    const double t_cold = bench::median_seconds([&] { split = prepare_data(cold).split; }, reps, 1);
    double t_write = 0.0, t_warm = 0.0;
    if (s.folder) {
      std::string key;
      const auto file = cache_file_for(config, &key);
      t_write = bench::median_seconds([&] { write_cache(file, key, split); }, reps, 1);
      t_warm = bench::median_seconds(
          [&] {
            const Prepared p = prepare_data(config);
            if (p.cache_status != "hit")
              std::fprintf(stderr, "bench_data: expected a cache hit, got %s\n", p.cache_status.c_str());
          },
          reps, 1);
    }
    const double t_stats = bench::median_seconds([&] { app::compute_stats(split); }, reps, 1);
    const auto seqs = recommender_training_sequences(split);
    const double t_epoch = bench::median_seconds(
        [&] {
          Generator g(1);
          for (const auto& rows : plan_bucketed(input_lengths(seqs, 50), 128, g))
            make_sequence_batch(seqs, rows, 50, {1, 0, split.num_items()});
        },
        reps, 1);
    auto ms = [](double t) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.1f ms", t * 1e3);
      return std::string(buf);
    };
    std::printf("| %s | %lld | %s | %s | %s | %s | %s |\n", s.name,
                static_cast<long long>(split.dataset().num_interactions()), ms(t_cold).c_str(),
                s.folder ? ms(t_write).c_str() : "(not cached)", s.folder ? ms(t_warm).c_str() : "(not cached)",
                ms(t_stats).c_str(), ms(t_epoch).c_str());
  }
  std::error_code ec;
  std::filesystem::remove_all(cache_dir, ec);
  std::printf("\n%s\n", build_report().c_str());
  return 0;
}
