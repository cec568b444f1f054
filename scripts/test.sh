#!/usr/bin/env bash
# The README's test command. Installs what is missing (OpenMPI, so that the MPI path of
# `l2aug experiment` is tested too), builds, and runs the whole test suite; runs the learning tests
# again under another OpenBLAS core type than the one in use; then builds the AddressSanitizer +
# UndefinedBehaviorSanitizer configuration and runs every test executable under it. Exits non-zero
# on the first failure. The environment's OPENBLAS_CORETYPE, if any, is left as it is.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --mpi

jobs=$(nproc)
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DL2_WITH_MPI=ON
cmake --build build --parallel "$jobs"
(cd build && ctest --output-on-failure)

# A test that checks that something learns must not pass or fail by the last bits of one BLAS
# kernel: run those (Boost.Test label "learning") under a second core type, only for this run.
in_use=$(build/bin/l2aug --version | sed -n 's/^blas_core: \([A-Za-z0-9]*\).*/\1/p')
if grep -qw avx512f /proc/cpuinfo; then
  case "$in_use" in SkylakeX|Cooperlake|SapphireRapids) other=Haswell ;; *) other=SkylakeX ;; esac
else
  other=Sandybridge  # AVX without FMA: kernels that round differently from Haswell's and Zen's
fi
got=$(OPENBLAS_CORETYPE=$other build/bin/l2aug --version | sed -n 's/^blas_core: \([A-Za-z0-9]*\).*/\1/p')
[ "$got" = "$other" ] || { echo "test.sh: OpenBLAS did not take core type $other (got '$got')" >&2; exit 1; }
echo "test.sh: the learning tests again with OPENBLAS_CORETYPE=$other (in use: ${in_use:-unknown})"
for exe in test_nn test_recsys test_l2aug; do
  OPENBLAS_CORETYPE=$other "build/bin/$exe" --run_test=@learning --report_level=short
done

# Every test executable (and the command-line tests, whose l2aug binary is sanitized too) under
# ASan + UBSan: the loaders and checkpoint readers in recsys/ and l2aug/ parse untrusted bytes.
# Built without MPI (the MPI library's own allocations are not ours to check; the optimised build
# tests that path) and without the install test (it builds an outside project, not our code).
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DL2_SANITIZE=ON -DL2_BUILD_BENCH=OFF \
  -DL2_WITH_MPI=OFF
cmake --build build-asan --parallel "$jobs"
(cd build-asan && ctest --output-on-failure -E '^install$')
