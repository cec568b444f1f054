// Running an experiment's cells on MPI ranks (optional: built with -DL2_WITH_MPI=ON, OpenMPI from
// Debian's packages): `mpirun -np N l2aug --threads 1 experiment ...`. Rank 0 hands out cells one
// at a time to the ranks that ask for work, holds the second phase back until every first-phase
// cell is done (the selection needs them all), and returns when every cell is finished. Results
// are the cells' own files in the shared output folder, so rank 0 gathers them by reading them.
// Without MPI, or when not started by mpirun, the world is one process.
#pragma once

namespace l2::app {

class Experiment;

int mpi_world_size();
int mpi_rank();
// Rank 0 coordinates; every other rank runs cells. Returns true when the whole grid finished.
bool run_with_mpi(Experiment& e);

// MPI_Init / MPI_Finalize for the process when launched by mpirun; a no-op otherwise.
class MpiSession {
 public:
  MpiSession(int* argc, char*** argv);
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
};

}  // namespace l2::app
