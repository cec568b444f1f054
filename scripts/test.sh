#!/usr/bin/env bash
# The README's test command: installs what is missing (OpenMPI included, so that the MPI path of
# `l2aug experiment` is tested too), builds, and runs the whole test suite, then builds the
# AddressSanitizer + UndefinedBehaviorSanitizer configuration and runs the tensor, autograd and nn
# tests under it. Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --mpi

jobs=$(nproc)
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DL2_WITH_MPI=ON
cmake --build build --parallel "$jobs"
(cd build && ctest --output-on-failure)

sanitized=(tensor)
for layer in autograd nn; do [ -d "tests/$layer" ] && sanitized+=("$layer"); done
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DL2_SANITIZE=ON -DL2_BUILD_BENCH=OFF
cmake --build build-asan --parallel "$jobs" --target $(printf 'test_%s ' "${sanitized[@]}")
regex="^($(IFS='|'; echo "${sanitized[*]}"))$"
(cd build-asan && ctest --output-on-failure -R "$regex")
