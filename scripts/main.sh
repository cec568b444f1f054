#!/usr/bin/env bash
# The README's main-job command: installs what is missing, builds, and runs the main job on its
# embedded default. Extra arguments go to the job.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build --parallel "$(nproc)"
exec ./build/bin/l2aug smoke "$@"
