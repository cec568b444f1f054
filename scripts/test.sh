#!/usr/bin/env bash
# The README's test command. Installs what is missing (OpenMPI, so that the MPI path of
# `l2aug experiment` is tested too, and clang 14 for the sanitizers and libFuzzer), builds, and runs
# the whole test suite; runs the learning tests again under another OpenBLAS core type than the one
# in use; then builds everything with AddressSanitizer + UndefinedBehaviorSanitizer (clang), runs
# every test executable under it, and runs each fuzz target for a short fixed number of inputs.
# Exits non-zero on the first failure. The environment's OPENBLAS_CORETYPE is left as it is.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --mpi --fuzz

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

# Every test executable and command-line test again under AddressSanitizer + UndefinedBehaviorSanitizer,
# then every fuzz target for a fixed number of inputs (tests/fuzz/run.sh): the loaders and file
# readers in recsys/ and l2aug/ parse untrusted bytes. One clang build serves both (libFuzzer is
# clang's); it has no MPI (the MPI library's own allocations are not ours to check; the build
# above tests that path) and skips the install test (it builds an outside project, not our code).
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=clang++-14 -DL2_FUZZ=ON \
  -DL2_BUILD_BENCH=OFF
cmake --build build-fuzz --parallel "$jobs"
(cd build-fuzz && ctest --output-on-failure -E '^install$')
tests/fuzz/run.sh
