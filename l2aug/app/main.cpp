// l2aug: the command-line entry point. Global options (--threads, --version, --help) may stand
// anywhere; the first other word names the subcommand. Exit status: 0 success, 1 a runtime error
// (bad data, bad checkpoint, ...), 2 a usage error (unknown command or option, malformed value).
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "l2aug/app/cli.h"
#include "l2aug/app/commands/commands.h"
#include "l2aug/app/mpi_runner.h"
#include "tensor/build_info.h"
#include "tensor/parallel.h"

namespace {

struct CommandEntry {
  const char* name;
  const char* summary;
  int (*run)(int, const char* const*, int);
};

namespace cmd = l2::app::commands;

const CommandEntry kCommands[] = {
    {"smoke", "check the tensor stack on this machine (GEMM against the reference, throughput)", cmd::smoke},
    {"data", "datasets and the paper's protocol: 'data stats' (Table 1, groups, splits), 'data export'", cmd::data},
    {"train", "train a recommender (sasrec, gru4rec, nextitnet) with early stopping; metrics per user group", cmd::train},
    {"eval", "full-ranking HR@K / NDCG@K of a trained model or the popularity baseline, per user group", cmd::eval},
    {"recommend", "top-K items a trained model recommends for a user or a history", cmd::recommend},
    {"treat", "train under a treatment for casual users: none, random, focused, adversarial, l2aug", cmd::treat},
    {"reward", "measure L2Aug's reward: variance from the actions vs the batch, SNR, quantisation; objective tracking", cmd::reward},
    {"augment", "apply a trained L2Aug policy to core users' sequences and dump its edits", cmd::augment},
    {"experiment", "run an experiment grid (datasets x models x treatments x settings x seeds), resumably", cmd::experiment},
    {"report", "tables (Table 2 layout) and SVG figures of one or more experiment folders", cmd::report},
    {"simulate", "online experiment (Figure 5): DQN/LIRD against the LIRD simulator, with and without L2Aug", cmd::simulate},
};

void print_usage() {
  std::printf(
      "usage: l2aug [--threads N] <command> [options]\n"
      "       l2aug --version\n\n"
      "Sequential recommenders and the Learning-to-Augment (L2Aug) data augmentor.\n\ncommands:\n");
  for (const CommandEntry& c : kCommands) std::printf("  %-12s %s\n", c.name, c.summary);
  std::printf(
      "\nglobal options:\n"
      "  --threads N   threads for every parallel loop (default: all cores); results do not depend on it\n"
      "  --version     print version, commit, build flags, SIMD width, BLAS and threads\n"
      "  --help        this help; 'l2aug <command> --help' for a command's options\n");
}

}  // namespace

int main(int argc, char** argv) {
  l2::app::MpiSession mpi(&argc, &argv);  // MPI_Init when started by mpirun (builds with MPI only)
  try {
    // Take the global options out of argv wherever they stand.
    std::vector<const char*> rest = {argv[0]};
    bool version = false;
    for (int i = 1; i < argc; ++i) {
      const std::string a = argv[i];
      if (a == "--threads" || a.rfind("--threads=", 0) == 0) {
        std::string v;
        if (a == "--threads") {
          if (i + 1 >= argc) throw l2::app::UsageError("--threads needs a value");
          v = argv[++i];
        } else {
          v = a.substr(10);
        }
        const auto n = l2::app::parse_int(v, "--threads");
        if (n < 1 || n > 1024) throw l2::app::UsageError("--threads: expected 1..1024, got " + v);
        l2::set_num_threads(int(n));
      } else if (a == "--version") {
        version = true;
      } else {
        rest.push_back(argv[i]);
      }
    }
    if (version) {
      std::fputs(l2::build_report().c_str(), stdout);
      return 0;
    }
    if (rest.size() < 2 || std::strcmp(rest[1], "--help") == 0 || std::strcmp(rest[1], "-h") == 0) {
      print_usage();
      return rest.size() < 2 ? 2 : 0;
    }
    if (l2::built_from_modified_tree()) std::fprintf(stderr, "l2aug: warning: %s\n", l2::modified_tree_warning().c_str());
    for (const CommandEntry& c : kCommands)
      if (std::strcmp(rest[1], c.name) == 0) return c.run(int(rest.size()), rest.data(), 2);
    throw l2::app::UsageError(std::string("unknown command '") + rest[1] + "' (see 'l2aug --help')");
  } catch (const l2::app::UsageError& e) {
    std::fprintf(stderr, "l2aug: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "l2aug: error: %s\n", e.what());
    return 1;
  }
}
