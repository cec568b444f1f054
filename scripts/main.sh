#!/usr/bin/env bash
# The README's main-job command: installs what is missing, builds, and runs the main job: a
# complete, small L2Aug comparison on the embedded synthetic platform (SASRec; none vs Random vs
# L2Aug; 3 seeds; configs/main.json), printing the table and the report's path. Re-running skips
# the finished cells. Extra arguments go to `l2aug experiment`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build --parallel "$(nproc)"
./build/bin/l2aug --version
exec ./build/bin/l2aug experiment --config configs/main.json --out runs/main "$@"
