#!/usr/bin/env bash
# `cmake --install` the build, then build examples/ on its own against the installed package
# (find_package(l2aug)) and run it: the export and the library API work outside this tree.
# Usage: install_test.sh <build dir> <source dir>
set -euo pipefail
build=$1
src=$2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cmake --install "$build" --prefix "$scratch/prefix" > /dev/null
cmake -S "$src/examples" -B "$scratch/build" -G Ninja -DCMAKE_PREFIX_PATH="$scratch/prefix" > /dev/null
cmake --build "$scratch/build" > /dev/null
"$scratch/build/train_sasrec_example" 2> /dev/null | tee "$scratch/out.txt"
grep -q "SASRec, test (full)" "$scratch/out.txt"
test -x "$scratch/prefix/bin/l2aug"
echo "install_test: ok"
