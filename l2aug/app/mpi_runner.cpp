#include "l2aug/app/mpi_runner.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

#include "l2aug/app/experiment.h"
#include "recsys/train/stop_signal.h"

#ifdef L2_WITH_MPI
#include <mpi.h>
#endif

namespace l2::app {

#ifdef L2_WITH_MPI

namespace {
bool g_initialised = false;
// Messages: a worker sends kRequest with the outcome of its last cell; rank 0 answers kWork with
// {phase, index} or kStop.
constexpr int kRequest = 1, kWork = 2, kStop = 3;
enum Outcome : int { none = 0, finished = 1, stopped = 2 };

bool launched_by_mpirun() {
  return std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMI_SIZE") || std::getenv("PMIX_RANK");
}
}  // namespace

MpiSession::MpiSession(int* argc, char*** argv) {
  if (!launched_by_mpirun()) return;
  MPI_Init(argc, argv);
  g_initialised = true;
}

MpiSession::~MpiSession() {
  if (g_initialised) MPI_Finalize();
}

int mpi_world_size() {
  if (!g_initialised) return 1;
  int n = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &n);
  return n;
}

int mpi_rank() {
  if (!g_initialised) return 0;
  int r = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &r);
  return r;
}

bool run_with_mpi(Experiment& e) {
  const int world = mpi_world_size(), rank = mpi_rank();
  if (rank != 0) {  // a worker: ask, run, report, until told to stop
    int outcome = none;
    while (true) {
      MPI_Send(&outcome, 1, MPI_INT, 0, kRequest, MPI_COMM_WORLD);
      int work[2];
      MPI_Status st;
      MPI_Recv(work, 2, MPI_INT, 0, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
      if (st.MPI_TAG == kStop) return true;
      const std::vector<Cell> cells =
          work[0] == 1 ? e.config().phase1_cells() : e.config().phase2_cells(*e.select());
      const Cell& c = cells[size_t(work[1])];
      std::fprintf(stderr, "[rank %d] %s\n", rank, c.id.c_str());
      outcome = e.run_cell(c) ? finished : stopped;
      if (outcome == stopped) {
        MPI_Send(&outcome, 1, MPI_INT, 0, kRequest, MPI_COMM_WORLD);
        return false;
      }
    }
  }
  // Rank 0: a queue of unfinished cells per phase; phase 2 opens when phase 1 is complete.
  std::vector<Cell> p1 = e.config().phase1_cells(), p2;
  std::vector<int> queue;
  for (size_t k = 0; k < p1.size(); ++k)
    if (!e.done(p1[k])) queue.push_back(int(k));
  int phase = 1, outstanding = 0, stopped_workers = 0, active = world - 1;
  bool any_stopped = false;
  std::vector<int> waiting;  // workers waiting for phase 2
  auto open_phase2 = [&] {
    phase = 2;
    if (const auto chosen = e.select()) p2 = e.config().phase2_cells(*chosen);
    for (size_t k = 0; k < p2.size(); ++k)
      if (!e.done(p2[k])) queue.push_back(int(k));
  };
  if (queue.empty()) open_phase2();
  auto give = [&](int worker) {
    if (!queue.empty() && !recsys::stop_requested()) {
      int work[2] = {phase, queue.front()};
      queue.erase(queue.begin());
      MPI_Send(work, 2, MPI_INT, worker, kWork, MPI_COMM_WORLD);
      ++outstanding;
    } else if (phase == 1 && outstanding > 0) {
      waiting.push_back(worker);  // more work may come with phase 2
    } else {
      int none_[2] = {0, 0};
      MPI_Send(none_, 2, MPI_INT, worker, kStop, MPI_COMM_WORLD);
      --active;
    }
  };
  while (active > 0) {
    int flag = 0;
    MPI_Status st;
    MPI_Iprobe(MPI_ANY_SOURCE, kRequest, MPI_COMM_WORLD, &flag, &st);
    if (!flag) {  // poll gently: rank 0 must not take a core from the workers
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      continue;
    }
    int outcome = 0;
    MPI_Recv(&outcome, 1, MPI_INT, st.MPI_SOURCE, kRequest, MPI_COMM_WORLD, &st);
    if (outcome != none) --outstanding;
    if (outcome == stopped) {
      any_stopped = true;
      ++stopped_workers;
      --active;
      continue;
    }
    if (phase == 1 && queue.empty() && outstanding == 0) {
      open_phase2();
      for (int w : waiting) give(w);
      waiting.clear();
    }
    give(st.MPI_SOURCE);
  }
  return !any_stopped && stopped_workers == 0;
}

#else  // built without MPI: one process

MpiSession::MpiSession(int*, char***) {}
MpiSession::~MpiSession() = default;
int mpi_world_size() { return 1; }
int mpi_rank() { return 0; }
bool run_with_mpi(Experiment& e) { return e.run_shard(0, 1); }

#endif

}  // namespace l2::app
